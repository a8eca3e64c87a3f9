package dev.pgsleuth.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.pgsleuth.model.LogEntry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads Google Cloud SQL logs exported as JSON, one object a line (a JSON array written one
 * object a line also works): the stderr line PostgreSQL wrote is in {@code textPayload}, read with
 * the {@code log_line_prefix}; the object's {@code timestamp} is used when the prefix has none.
 */
public final class CloudSqlReader implements FormatReader {
    private static final JsonFactory JSON = new JsonFactory();

    private final String prefixText;
    private String used;

    /** A reader for the given prefix ({@code null}: inferred). */
    public CloudSqlReader(String prefix) {
        this.prefixText = prefix;
        this.used = prefix;
    }

    /** The prefix the last {@link #read} used, given or inferred; {@code null} before. */
    public String prefix() {
        return used;
    }

    /** The payload lines of the sniffed objects, for prefix inference. */
    static List<byte[]> messageLines(Sniff sniff) {
        List<byte[]> out = new ArrayList<>();
        Payload p = new Payload();
        for (byte[] l : sniff.lines()) {
            if (payload(l, 0, l.length, p)) {
                for (String piece : p.text.split("\n")) {
                    out.add(piece.getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    @Override
    public long read(InputStream in, String sourceName, Consumer<LogEntry.Builder> out, UnparsedLines unparsed)
            throws IOException {
        PrefixInference.PrefixedInput chosen = PrefixInference.prefixed(in, prefixText, CloudSqlReader::messageLines,
                "%m [%p]: [%l-1] db=%d,user=%u ");
        used = chosen.prefix();
        StderrLines lines = new StderrLines(LogLinePrefix.compile(used), sourceName, out, unparsed);
        LineReader lr = new LineReader(chosen.input());
        Payload p = new Payload();
        TimestampParser iso = new TimestampParser();
        while (lr.next()) {
            if (lr.overlong) {
                unparsed.add(sourceName, lr.number,
                        StderrLines.overlong(LineReader.DEFAULT_MAX_LINE, lr.buf, lr.start, lr.end));
                continue;
            }
            int s = lr.start;
            int e = lr.end;
            while (s < e && (lr.buf[s] == ' ' || lr.buf[s] == '[' || lr.buf[s] == ',')) {
                s++;
            }
            while (e > s && (lr.buf[e - 1] == ' ' || lr.buf[e - 1] == ']' || lr.buf[e - 1] == ',')) {
                e--;
            }
            if (s == e) {
                continue;
            }
            if (!payload(lr.buf, s, e, p)) {
                unparsed.add(sourceName, lr.number, StderrLines.sample(lr.buf, lr.start, lr.end));
                continue;
            }
            OffsetDateTime ts = null;
            if (p.timestamp != null) {
                byte[] t = p.timestamp.getBytes(StandardCharsets.US_ASCII);
                if (iso.parse(t, 0, t.length) > 0) {
                    ts = iso.value;
                }
            }
            byte[] text = p.text.getBytes(StandardCharsets.UTF_8);
            int from = 0;
            for (int i = 0; i <= text.length; i++) {
                if (i == text.length || text[i] == '\n') {
                    int to = i > from && text[i - 1] == '\r' ? i - 1 : i;
                    if (to > from) {
                        lines.line(text, from, to, lr.offset, lr.number, ts, -1, null);
                    }
                    from = i + 1;
                }
            }
        }
        lines.finish();
        return lr.number;
    }

    /** The two fields read from an object. */
    static final class Payload {
        String text;
        String timestamp;
    }

    /** Reads {@code textPayload} and {@code timestamp} of the object in {@code b[s, e)}; false when it has no payload or is no JSON. */
    static boolean payload(byte[] b, int s, int e, Payload out) {
        out.text = null;
        out.timestamp = null;
        try (JsonParser p = JSON.createParser(b, s, e - s)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (v == JsonToken.VALUE_STRING && name.equals("textPayload")) {
                    out.text = p.getText();
                } else if (v == JsonToken.VALUE_STRING && name.equals("timestamp")) {
                    out.timestamp = p.getText();
                } else {
                    p.skipChildren();
                }
            }
            return t == JsonToken.END_OBJECT && out.text != null;
        } catch (IOException | RuntimeException ex) {
            return false;
        }
    }
}
