package dev.pgsleuth.parse;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.pgsleuth.model.LogEntry;
import dev.pgsleuth.model.SourcePosition;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.function.Consumer;

/**
 * Reads the log of a CloudNativePG instance pod: one JSON object per line, in which PostgreSQL's
 * own entries are {@code {"logger":"postgres","msg":"record","record":{…csvlog columns…}}} and every
 * other line is the instance manager talking about itself. Those operator lines are skipped without
 * being errors (see {@link #operatorLines()}); a line that is no JSON object at all is counted in
 * {@link UnparsedLines}. A leading timestamp added by {@code kubectl logs --timestamps} is skipped.
 */
public final class CnpgReader implements FormatReader {

    private long operatorLines;

    public CnpgReader() {
    }

    /** Lines read so far that were the operator's own, not PostgreSQL entries. */
    public long operatorLines() {
        return operatorLines;
    }

    @Override
    public long read(InputStream in, String sourceName, Consumer<LogEntry.Builder> out, UnparsedLines unparsed)
            throws IOException {
        JsonRecordFields fields = new JsonRecordFields();
        RecordTimestamps envelopeTimes = new RecordTimestamps();
        return JsonLineSplitter.split(in, (buf, off, len, offset, lineNumber) -> {
            if (buf == null) {
                unparsed.add(sourceName, lineNumber, "line longer than " + JsonLineSplitter.MAX_LINE_BYTES + " bytes");
                return;
            }
            if (JsonLogReader.isBlank(buf, off, len)) {
                return;
            }
            int start = objectStart(buf, off, len);
            if (start < 0) {
                unparsed.add(sourceName, lineNumber, JsonLogReader.sample(buf, off, len));
                return;
            }
            Envelope e = envelope(fields, envelopeTimes,
                    () -> JsonRecordFields.FACTORY.createParser(buf, start, off + len - start));
            if (e == null) {
                // a database whose encoding is not UTF-8 writes its bytes as they are: decode leniently
                String text = new String(buf, start, off + len - start, StandardCharsets.UTF_8);
                e = envelope(fields, envelopeTimes, () -> JsonRecordFields.FACTORY.createParser(text));
            }
            if (e == null) {
                unparsed.add(sourceName, lineNumber, JsonLogReader.sample(buf, off, len));
                return;
            }
            LogEntry.Builder b = e.record();
            OffsetDateTime ts = e.ts();
            if (!e.postgres() || b == null) {
                operatorLines++;
                return;
            }
            if (b.timestamp() == null) {
                // a record without log_time: the operator's own time of the line is close enough
                b.timestamp(ts);
            }
            b.position(new SourcePosition(sourceName, offset, lineNumber));
            out.accept(b);
        });
    }

    /** One line's envelope: whether the logger is postgres, its record (or null) and its time. */
    private record Envelope(boolean postgres, LogEntry.Builder record, OffsetDateTime ts) {
    }

    /** Reads one envelope, or returns {@code null} when the line is no JSON object. */
    private static Envelope envelope(JsonRecordFields fields, RecordTimestamps times,
            JsonLogReader.ParserSource source) {
        LogEntry.Builder b = null;
        boolean postgres = false;
        OffsetDateTime ts = null;
        try (JsonParser p = source.open()) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if ("record".equals(name) && v == JsonToken.START_OBJECT) {
                    b = LogEntry.builder();
                    fields.readObject(p, b);
                } else if ("logger".equals(name)) {
                    postgres = "postgres".equals(p.getText());
                } else if ("ts".equals(name)) {
                    ts = v == JsonToken.VALUE_NUMBER_FLOAT || v == JsonToken.VALUE_NUMBER_INT
                            ? RecordTimestamps.ofEpochSeconds(p.getDoubleValue())
                            : times.parse(p.getText());
                } else if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
                    p.skipChildren();
                }
            }
            if (t != JsonToken.END_OBJECT) {
                return null;
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return new Envelope(postgres, b, ts);
    }

    /**
     * Where the JSON object starts: at the first byte, or after a {@code kubectl --timestamps}
     * prefix (an RFC 3339 time and a space); -1 when the line is something else.
     */
    private static int objectStart(byte[] buf, int off, int len) {
        int end = off + len;
        int i = off;
        while (i < end && (buf[i] == ' ' || buf[i] == '\t')) {
            i++;
        }
        if (i < end && buf[i] == '{') {
            return i;
        }
        if (i < end && buf[i] >= '0' && buf[i] <= '9') {
            int limit = Math.min(end, i + 40);
            for (int j = i; j < limit; j++) {
                if (buf[j] == ' ') {
                    return j + 1 < end && buf[j + 1] == '{' ? j + 1 : -1;
                }
            }
        }
        return -1;
    }
}
