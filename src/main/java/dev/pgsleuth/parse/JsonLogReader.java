package dev.pgsleuth.parse;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.pgsleuth.model.LogEntry;
import dev.pgsleuth.model.SourcePosition;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Reads {@code log_destination=jsonlog} files (PostgreSQL 15+): one JSON object per line, keys
 * omitted when their value is NULL. Each line is parsed in place from its bytes with Jackson's
 * streaming parser; a line that is no JSON object, or an object without timestamp and message, is
 * counted in {@link UnparsedLines} and skipped.
 */
public final class JsonLogReader implements FormatReader {

    public JsonLogReader() {
    }

    @Override
    public long read(InputStream in, String sourceName, Consumer<LogEntry.Builder> out, UnparsedLines unparsed)
            throws IOException {
        JsonRecordFields fields = new JsonRecordFields();
        return JsonLineSplitter.split(in, (buf, off, len, offset, lineNumber) -> {
            if (buf == null) {
                unparsed.add(sourceName, lineNumber, "line longer than " + JsonLineSplitter.MAX_LINE_BYTES + " bytes");
                return;
            }
            if (isBlank(buf, off, len)) {
                return;
            }
            LogEntry.Builder b = LogEntry.builder();
            boolean ok;
            try (JsonParser p = JsonRecordFields.FACTORY.createParser(buf, off, len)) {
                ok = p.nextToken() == JsonToken.START_OBJECT;
                if (ok) {
                    fields.readObject(p, b);
                    ok = b.message() != null || b.timestamp() != null;
                }
            } catch (IOException | RuntimeException e) {
                ok = false;
            }
            if (ok) {
                b.position(new SourcePosition(sourceName, offset, lineNumber));
                out.accept(b);
            } else {
                unparsed.add(sourceName, lineNumber, sample(buf, off, len));
            }
        });
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
