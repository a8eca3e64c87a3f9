package dev.pgsleuth.parse;

import dev.pgsleuth.model.LogEntry;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;

/**
 * Reads PostgreSQL's stderr log (also the logging collector's {@code .log} files, RDS/Aurora and
 * Azure logs) written with one {@code log_line_prefix}.
 */
public final class StderrReader implements FormatReader {
    private final String prefixText;
    private final int maxLine;
    private String used;

    /**
     * A reader for logs written with {@code prefix}; with {@code null} the prefix is inferred from
     * the first lines (see {@link #prefix()}).
     */
    public StderrReader(String prefix) {
        this(prefix, LineReader.DEFAULT_MAX_LINE);
    }

    StderrReader(String prefix, int maxLine) {
        this.prefixText = prefix;
        this.maxLine = maxLine;
        this.used = prefix;
    }

    /** The prefix the last {@link #read} used, given or inferred; {@code null} before. */
    public String prefix() {
        return used;
    }

    @Override
    public long read(InputStream in, String sourceName, Consumer<LogEntry.Builder> out, UnparsedLines unparsed)
            throws IOException {
        PrefixInference.PrefixedInput chosen = PrefixInference.prefixed(in, prefixText, Sniff::lines, "%m [%p] ");
        used = chosen.prefix();
        StderrLines lines = new StderrLines(LogLinePrefix.compile(used), sourceName, out, unparsed);
        LineReader lr = new LineReader(chosen.input(), maxLine);
        while (lr.next()) {
            if (lr.overlong) {
                lines.skipped(lr.number, "line longer than " + maxLine + " bytes: "
                        + StderrLines.sample(lr.buf, lr.start, lr.end));
                continue;
            }
            lines.line(lr.buf, lr.start, lr.end, lr.offset, lr.number);
        }
        lines.finish();
        return lr.number;
    }
}
