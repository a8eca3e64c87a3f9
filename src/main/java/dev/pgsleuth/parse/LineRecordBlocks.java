package dev.pgsleuth.parse;

import dev.pgsleuth.model.LogEntry;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Reads a format whose every line is one record that stands alone (jsonlog) in blocks of lines on
 * worker threads: a worker turns each line into an entry and reads what its message says about a
 * statement ({@link MessageForm#readEntry}), and the entries reach the consumer in input order on
 * the reading thread, with their positions. The entries are those a one-line-at-a-time read gives.
 */
final class LineRecordBlocks {
    /** How the format reads one line; keeps caches of decoded values, so one instance per thread. */
    interface LineFormat {
        /** Whether {@code b[s, e)} is blank: skipped, neither an entry nor an unread line. */
        boolean blank(byte[] b, int s, int e);

        /** The entry of the line {@code b[s, e)}, without its position; {@code null} when the line is no record. */
        LogEntry.Builder entry(byte[] b, int s, int e);

        /**
         * The entry of the record that starts at {@code b[s]}, read before the end of its line is
         * known ({@code b[s, end)} holds it and the lines after it), which spares a search for
         * the line's end that the reading would repeat; {@code null} when it cannot be read that
         * way (the line is then found and given to {@link #entry}). Where it stopped reading is
         * then {@link #recordEnd()}; the rest of the line is not part of the record.
         */
        LogEntry.Builder entryBeforeLineEnd(byte[] b, int s, int end);

        /** The index after the record {@link #entryBeforeLineEnd} read last. */
        int recordEnd();

        /** What the count of unread lines shows of a line that is no record. */
        String sample(byte[] b, int s, int e);

        /** What it shows of a line of {@code maxLine} bytes or more. */
        String overlong(int maxLine);
    }

    private LineRecordBlocks() {
    }

    /**
     * Reads {@code in} to its end in blocks of about {@code blockBytes}, with one {@link LineFormat}
     * per worker thread from {@code formats}; returns the number of lines.
     */
    static long read(InputStream in, String source, Consumer<LogEntry.Builder> out, UnparsedLines unparsed,
            ExecutorService workers, Supplier<LineFormat> formats, int blockBytes, int maxLine) throws IOException {
        ThreadLocal<Worker> perThread = ThreadLocal.withInitial(() -> new Worker(formats.get()));
        String overlong = formats.get().overlong(maxLine);
        LineBlocks blocks = new LineBlocks(in, blockBytes, maxLine);
        long[] lines = {0};
        // the bytes of the blocks given and not yet handed on, in input order
        ArrayDeque<byte[]> given = new ArrayDeque<>();
        OrderedWork<ParsedRecords> parsed = new OrderedWork<>(workers, LineBlocks.AHEAD, block -> {
            lines[0] = block.handOn(source, lines[0], out, unparsed);
            blocks.reuse(given.pollFirst());
        });
        try {
            for (LineBlocks.Block b = blocks.next(); b != null; b = blocks.next()) {
                LineBlocks.Block block = b;
                given.addLast(block.bytes());
                if (block.overlong()) {
                    ParsedRecords p = new ParsedRecords(1);
                    p.lines = 1;
                    p.unread(1, overlong);
                    parsed.add(p);
                } else {
                    parsed.submit(() -> perThread.get().parse(block.bytes(), block.length(), block.offset(), maxLine));
                }
            }
            parsed.finish();
        } finally {
            parsed.cancel();
        }
        return lines[0];
    }

    /** A worker thread's format and message reader. */
    private record Worker(LineFormat format, MessageForm form) {
        Worker(LineFormat format) {
            this(format, new MessageForm());
        }

        ParsedRecords parse(byte[] bytes, int length, long offset, int maxLine) {
            ParsedRecords p = new ParsedRecords(Math.max(16, length / 256));
            int s = 0;
            int line = 0;
            while (s < length) {
                LogEntry.Builder read = format.entryBeforeLineEnd(bytes, s, length);
                int nl = ByteScan.indexOfNewline(bytes, read == null ? s : format.recordEnd(), length);
                int e = nl < 0 ? length : nl;
                if (e > s && bytes[e - 1] == '\r') {
                    e--;
                }
                line++;
                if (e - s >= maxLine) {
                    p.unread(line, format.overlong(maxLine));
                } else if (read != null) {
                    form.readEntry(read);
                    p.entry(read, line, offset + s);
                } else if (!format.blank(bytes, s, e)) {
                    LogEntry.Builder entry = format.entry(bytes, s, e);
                    if (entry == null) {
                        p.unread(line, format.sample(bytes, s, e));
                    } else {
                        form.readEntry(entry);
                        p.entry(entry, line, offset + s);
                    }
                }
                s = nl < 0 ? length : nl + 1;
            }
            p.lines = line;
            return p;
        }
    }
}
