package dev.pgsleuth.parse;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.pgsleuth.model.LogEntry;
import dev.pgsleuth.model.SourcePosition;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

/**
 * Reads {@code log_destination=jsonlog} files (PostgreSQL 15+): one JSON object per line, keys
 * omitted when their value is NULL. Each line is read in place from its bytes, by
 * {@link JsonRecordFields#readFlatObject} (first before the line's end is known, which spares the
 * search for it) or, for what that leaves aside, Jackson's streaming parser; a
 * line that is no JSON object, or an object without timestamp and message, is counted in
 * {@link UnparsedLines} and skipped.
 */
public final class JsonLogReader implements FormatReader {

    public JsonLogReader() {
    }

    @Override
    public long read(InputStream in, String sourceName, Consumer<LogEntry.Builder> out, UnparsedLines unparsed)
            throws IOException {
        Lines lines = new Lines();
        JsonLineSplitter.LineAttempt attempt = (buf, off, end, offset, lineNumber) -> {
            LogEntry.Builder b = lines.entryBeforeLineEnd(buf, off, end);
            if (b == null) {
                return -1;
            }
            int nl = ByteScan.indexOfNewline(buf, lines.recordEnd(), end);
            if (nl >= 0) {
                b.position(new SourcePosition(sourceName, offset, lineNumber));
                out.accept(b);
            }
            return nl;
        };
        return JsonLineSplitter.split(in, attempt, (buf, off, len, offset, lineNumber) -> {
            if (buf == null) {
                unparsed.add(sourceName, lineNumber, overlong(JsonLineSplitter.MAX_LINE_BYTES));
                return;
            }
            if (lines.blank(buf, off, off + len)) {
                return;
            }
            LogEntry.Builder b = lines.entry(buf, off, off + len);
            if (b != null) {
                b.position(new SourcePosition(sourceName, offset, lineNumber));
                out.accept(b);
            } else {
                unparsed.add(sourceName, lineNumber, sample(buf, off, len));
            }
        });
    }

    /**
     * Reads with blocks of lines parsed on {@code workers} (see {@link LineRecordBlocks}): each line
     * is a record of its own, so the entries are those of the one-thread read.
     */
    @Override
    public long read(InputStream in, String sourceName, Consumer<LogEntry.Builder> out, UnparsedLines unparsed,
            ExecutorService workers) throws IOException {
        if (workers == null) {
            return read(in, sourceName, out, unparsed);
        }
        return LineRecordBlocks.read(in, sourceName, out, unparsed, workers, Lines::new, LineBlocks.BLOCK_BYTES,
                JsonLineSplitter.MAX_LINE_BYTES);
    }

    /**
     * How jsonlog lines are read, one at a time ({@link #read(InputStream, String, Consumer, UnparsedLines)})
     * and in blocks on workers alike; keeps caches of decoded values, so one instance per thread.
     */
    static final class Lines implements LineRecordBlocks.LineFormat {
        private final JsonRecordFields fields = new JsonRecordFields();
        private int recordEnd;

        @Override
        public boolean blank(byte[] b, int s, int e) {
            return isBlank(b, s, e - s);
        }

        @Override
        public LogEntry.Builder entry(byte[] b, int s, int e) {
            return JsonLogReader.entry(fields, b, s, e - s);
        }

        @Override
        public LogEntry.Builder entryBeforeLineEnd(byte[] b, int s, int end) {
            LogEntry.Builder entry = LogEntry.builder();
            recordEnd = fields.readFlatObject(b, s, end, entry);
            return recordEnd >= 0 && (entry.message() != null || entry.timestamp() != null) ? entry : null;
        }

        @Override
        public int recordEnd() {
            return recordEnd;
        }

        @Override
        public String sample(byte[] b, int s, int e) {
            return JsonLogReader.sample(b, s, e - s);
        }

        @Override
        public String overlong(int maxLine) {
            return JsonLogReader.overlong(maxLine);
        }
    }

    private static String overlong(int maxLine) {
        return "line longer than " + maxLine + " bytes";
    }

    /** The entry of one line, or {@code null} when the line is no log object. */
    private static LogEntry.Builder entry(JsonRecordFields fields, byte[] buf, int off, int len) {
        LogEntry.Builder b = LogEntry.builder();
        if (fields.readLine(buf, off, len, b)) {
            return b.message() != null || b.timestamp() != null ? b : null;
        }
        return jacksonEntry(fields, buf, off, len);
    }

    /** The entry of one line read with Jackson alone, as {@link #entry} does when its fast way gives up. */
    static LogEntry.Builder jacksonEntry(JsonRecordFields fields, byte[] buf, int off, int len) {
        LogEntry.Builder b = entry(fields, () -> JsonRecordFields.FACTORY.createParser(buf, off, len));
        if (b == null) {
            // a database whose encoding is not UTF-8 writes its bytes as they are: decode leniently
            String text = new String(buf, off, len, StandardCharsets.UTF_8);
            b = entry(fields, () -> JsonRecordFields.FACTORY.createParser(text));
        }
        return b;
    }

    private static LogEntry.Builder entry(JsonRecordFields fields, ParserSource source) {
        LogEntry.Builder b = LogEntry.builder();
        try (JsonParser p = source.open()) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            fields.readObject(p, b);
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return b.message() != null || b.timestamp() != null ? b : null;
    }

    /** Opens a parser over one line, from its bytes or from its leniently decoded text. */
    @FunctionalInterface
    interface ParserSource {
        JsonParser open() throws IOException;
    }

    static boolean isBlank(byte[] buf, int off, int len) {
        for (int i = off; i < off + len; i++) {
            byte c = buf[i];
            if (c != ' ' && c != '\t' && c != '\r') {
                return false;
            }
        }
        return true;
    }

    static String sample(byte[] buf, int off, int len) {
        return new String(buf, off, Math.min(len, 300), StandardCharsets.UTF_8);
    }
}
