package dev.pgsleuth.parse;

import dev.pgsleuth.model.LogEntry;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

/**
 * Reads one log format into raw entries: prefix fields, severity, SQLSTATE, message and the
 * DETAIL / HINT / CONTEXT / QUERY / STATEMENT texts, with the statement fields not yet
 * interpreted (that is {@code StatementInterpreter}'s job, common to all formats), but for what a
 * reader's worker threads may have classified already ({@link MessageForm#applyTo}).
 */
public interface FormatReader {

    /**
     * Reads {@code in} (already decompressed) to its end and hands every entry, in input order, to
     * {@code out}. Never throws on bad content: a line it cannot read is added to
     * {@code unparsed} and skipped. Throws only when reading the stream itself fails.
     *
     * @param in         the input bytes
     * @param sourceName file path, or {@code -} for stdin; used in positions and samples
     * @param out        receives each raw entry
     * @param unparsed   counts and samples the lines that were skipped
     * @return the number of lines read
     */
    long read(InputStream in, String sourceName, Consumer<LogEntry.Builder> out, UnparsedLines unparsed)
            throws IOException;

    /**
     * Reads like {@link #read(InputStream, String, Consumer, UnparsedLines)}, handing the work that
     * needs no earlier lines to {@code workers} (when not null) while entries still reach
     * {@code out} in input order on the calling thread: the entries are the same. Formats whose
     * reader does not split its work read on the calling thread.
     */
    default long read(InputStream in, String sourceName, Consumer<LogEntry.Builder> out, UnparsedLines unparsed,
            ExecutorService workers) throws IOException {
        return read(in, sourceName, out, unparsed);
    }
}
