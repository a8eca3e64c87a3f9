package dev.pgsleuth.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.pgsleuth.model.LogEntry;
import dev.pgsleuth.model.Severity;
import java.io.IOException;

/**
 * Reads one JSON object of log fields into a raw entry, with Jackson's streaming parser. It knows
 * both the jsonlog key names ({@code dbname}, {@code state_code}, {@code statement}, …) and the
 * csvlog column names that CloudNativePG uses under {@code record} ({@code database_name},
 * {@code sql_state_code}, {@code query}, …); the two sets do not collide. Numbers may come as JSON
 * numbers (jsonlog) or strings (CloudNativePG). Unknown keys, nested values and nulls are skipped.
 */
final class JsonRecordFields {

    /**
     * Thread-safe and costly to build: one for all readers. Strings may be as long as a line
     * (Jackson's default cap of 20 MB would reject a large bulk statement).
     */
    static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(JsonLineSplitter.MAX_LINE_BYTES).build())
            .build();

    private final RecordTimestamps timestamps = new RecordTimestamps();

    /**
     * Reads the fields of the object whose {@code START_OBJECT} the parser has just returned, up to
     * and including its {@code END_OBJECT}.
     */
    void readObject(JsonParser p, LogEntry.Builder b) throws IOException {
        String host = null;
        String port = null;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
                p.skipChildren();
                continue;
            }
            if (v == JsonToken.VALUE_NULL || v == null) {
                continue;
            }
            switch (name) {
                case "timestamp", "log_time" -> b.timestamp(
                        timestamps.parse(p.getTextCharacters(), p.getTextOffset(), p.getTextLength()));
                case "user", "user_name" -> b.user(text(p));
                case "dbname", "database_name" -> b.database(text(p));
                case "pid", "process_id" -> b.pid((int) number(p));
                case "remote_host" -> host = text(p);
                case "remote_port" -> port = text(p);
                case "connection_from" -> b.client(text(p));
                case "session_id" -> b.sessionId(text(p));
                case "line_num", "session_line_num" -> b.sessionLine(number(p));
                case "error_severity" -> b.severity(Severity.fromLogWord(p.getText()));
                case "state_code", "sql_state_code" -> b.sqlState(text(p));
                case "message" -> b.message(p.getText());
                case "detail" -> b.detail(text(p));
                case "hint" -> b.hint(text(p));
                case "internal_query" -> b.internalQuery(text(p));
                case "context" -> b.context(text(p));
                case "statement", "query" -> b.statement(text(p));
                case "application_name" -> b.application(text(p));
                default -> {
                    // keys pgsleuth has no use for: ps, vxid, txid, backend_type, query_id, …
                }
            }
        }
        if (t != JsonToken.END_OBJECT) {
            throw new JsonParseException(p, "object not closed");
        }
        if (host != null) {
            b.client(port == null ? host : host + ":" + port);
        }
    }

    /** Text of a scalar; an empty string is absent, as in csvlog. */
    private static String text(JsonParser p) throws IOException {
        String s = p.getText();
        return s == null || s.isEmpty() ? null : s;
    }

    private static long number(JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
            return p.getLongValue();
        }
        String s = p.getText();
        if (s == null || s.isEmpty() || s.length() > 18) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            int d = s.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }
}
