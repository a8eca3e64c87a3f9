package dev.pgsleuth.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.pgsleuth.model.LogEntry;
import dev.pgsleuth.model.Severity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads one JSON object of log fields into a raw entry. It knows both the jsonlog key names
 * ({@code dbname}, {@code state_code}, {@code statement}, …) and the csvlog column names that
 * CloudNativePG uses under {@code record} ({@code database_name}, {@code sql_state_code},
 * {@code query}, …); the two sets do not collide. Numbers may come as JSON numbers (jsonlog) or
 * strings (CloudNativePG). Unknown keys, nested values and nulls are skipped.
 *
 * <p>Two ways in: {@link #readObject} with Jackson's streaming parser, for any JSON, and
 * {@link #readLine}, a byte-level reader for the flat objects PostgreSQL writes, which gives up
 * (and leaves the line to Jackson) at anything it does not fully check itself: nested values,
 * {@code true}/{@code false}, fractions and exponents, long numbers, escaped or non-ASCII keys,
 * text that is not well-formed UTF-8. Where it does not give up, the two agree.
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

    /** The keys pgsleuth reads; any other key is skipped. */
    enum Field {
        TIMESTAMP("timestamp", "log_time"),
        USER("user", "user_name"),
        DATABASE("dbname", "database_name"),
        PID("pid", "process_id"),
        REMOTE_HOST("remote_host"),
        REMOTE_PORT("remote_port"),
        CONNECTION_FROM("connection_from"),
        SESSION_ID("session_id"),
        SESSION_LINE("line_num", "session_line_num"),
        SEVERITY("error_severity"),
        SQL_STATE("state_code", "sql_state_code"),
        MESSAGE("message"),
        DETAIL("detail"),
        HINT("hint"),
        INTERNAL_QUERY("internal_query"),
        CONTEXT("context"),
        STATEMENT("statement", "query"),
        APPLICATION("application_name");

        private final String[] names;

        Field(String... names) {
            this.names = names;
        }
    }

    private static final Map<String, Field> BY_NAME = new HashMap<>();
    /** The key bytes of each field name, bucketed by length for {@link #field(byte[], int, int)}. */
    private static final byte[][][] NAMES_BY_LENGTH;
    private static final Field[][] FIELDS_BY_LENGTH;
    private static final int LONGEST_NAME;

    static {
        int longest = 0;
        for (Field f : Field.values()) {
            for (String n : f.names) {
                BY_NAME.put(n, f);
                longest = Math.max(longest, n.length());
            }
        }
        LONGEST_NAME = longest;
        NAMES_BY_LENGTH = new byte[longest + 1][][];
        FIELDS_BY_LENGTH = new Field[longest + 1][];
        for (int len = 0; len <= longest; len++) {
            int l = len;
            String[] names = BY_NAME.keySet().stream().filter(n -> n.length() == l).sorted().toArray(String[]::new);
            NAMES_BY_LENGTH[len] = new byte[names.length][];
            FIELDS_BY_LENGTH[len] = new Field[names.length];
            for (int k = 0; k < names.length; k++) {
                NAMES_BY_LENGTH[len][k] = names[k].getBytes(StandardCharsets.US_ASCII);
                FIELDS_BY_LENGTH[len][k] = BY_NAME.get(names[k]);
            }
        }
    }

    /** Keys longer than this are refused by {@link #readLine} (Jackson caps names too). */
    private static final int MAX_KEY_BYTES = 256;
    /** A JSON integer of more digits than this is left to Jackson. */
    private static final int MAX_NUMBER_DIGITS = 18;
    /** A timestamp's text longer than this is left to Jackson (see {@link RecordTimestamps}). */
    private static final int MAX_TIMESTAMP_BYTES = 74;

    private final RecordTimestamps timestamps = new RecordTimestamps();
    private final TextCache cache = new TextCache(StandardCharsets.UTF_8);
    private byte[] unescapedBytes = new byte[256];
    private String lastHost;
    private String lastPort;
    private String lastClient;

    // the value just read by readLine: buf[valueStart, valueEnd) and what kind it is
    private static final int PLAIN = 0;
    private static final int ESCAPED = 1;
    private static final int NUMBER = 2;
    private static final int NULL = 3;
    private int valueStart;
    private int valueEnd;
    private int valueKind;
    private String unescaped;
    /** Set when a value's bytes were no well-formed UTF-8: the line goes to Jackson. */
    private boolean badText;

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
            Field f = BY_NAME.get(name);
            if (f == null) {
                // keys pgsleuth has no use for: ps, vxid, txid, backend_type, query_id, …
                continue;
            }
            switch (f) {
                case TIMESTAMP -> b.timestamp(
                        timestamps.parse(p.getTextCharacters(), p.getTextOffset(), p.getTextLength()));
                case USER -> b.user(text(p));
                case DATABASE -> b.database(text(p));
                case PID -> b.pid((int) number(p));
                case REMOTE_HOST -> host = text(p);
                case REMOTE_PORT -> port = text(p);
                case CONNECTION_FROM -> b.client(text(p));
                case SESSION_ID -> b.sessionId(text(p));
                case SESSION_LINE -> b.sessionLine(number(p));
                case SEVERITY -> b.severity(Severity.fromLogWord(p.getText()));
                case SQL_STATE -> b.sqlState(text(p));
                case MESSAGE -> b.message(p.getText());
                case DETAIL -> b.detail(text(p));
                case HINT -> b.hint(text(p));
                case INTERNAL_QUERY -> b.internalQuery(text(p));
                case CONTEXT -> b.context(text(p));
                case STATEMENT -> b.statement(text(p));
                case APPLICATION -> b.application(text(p));
            }
        }
        if (t != JsonToken.END_OBJECT) {
            throw new JsonParseException(p, "object not closed");
        }
        if (host != null) {
            b.client(client(host, port));
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
        return digits(p.getText());
    }

    /** The value of a string of 1 to 18 ASCII digits, else -1. */
    private static long digits(String s) {
        if (s == null || s.isEmpty() || s.length() > MAX_NUMBER_DIGITS) {
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

    /** {@code host:port}; consecutive records mostly repeat the pair, so the last one is kept. */
    private String client(String host, String port) {
        if (port == null) {
            return host;
        }
        if (!host.equals(lastHost) || !port.equals(lastPort)) {
            lastHost = host;
            lastPort = port;
            lastClient = host + ":" + port;
        }
        return lastClient;
    }

    /**
     * Reads the one-line JSON object {@code buf[off, off+len)} into {@code b} straight from its
     * bytes. Returns {@code false} when the line is outside what this reader checks itself; the
     * builder is then partly filled and the caller must read the line again with Jackson.
     */
    boolean readLine(byte[] buf, int off, int len, LogEntry.Builder b) {
        return readFlatObject(buf, off, off + len, b) >= 0;
    }

    /**
     * As {@link #readLine} for the object that starts at {@code buf[off]}, where {@code buf[off, end)}
     * may hold more lines: a newline is never taken for white space, so the object ends on its own
     * line or not at all. Returns the index after its closing brace, or -1.
     */
    int readFlatObject(byte[] buf, int off, int end, LogEntry.Builder b) {
        int i = skipSpace(buf, off, end);
        if (i >= end || buf[i] != '{') {
            return -1;
        }
        i = skipSpace(buf, i + 1, end);
        if (i >= end) {
            return -1;
        }
        String host = null;
        String port = null;
        if (buf[i] != '}') {
            while (true) {
                if (buf[i] != '"') {
                    return -1;
                }
                int keyStart = i + 1;
                int keyEnd = keyStart;
                int keyLimit = Math.min(end, keyStart + MAX_KEY_BYTES);
                while (keyEnd < keyLimit && buf[keyEnd] != '"') {
                    byte c = buf[keyEnd];
                    if (c == '\\' || c < 0x20) { // negative: a non-ASCII byte
                        return -1;
                    }
                    keyEnd++;
                }
                if (keyEnd >= keyLimit) {
                    return -1;
                }
                i = skipSpace(buf, keyEnd + 1, end);
                if (i >= end || buf[i] != ':') {
                    return -1;
                }
                i = skipSpace(buf, i + 1, end);
                if (i >= end) {
                    return -1;
                }
                Field f = field(buf, keyStart, keyEnd);
                i = value(buf, i, end, f != null);
                if (i < 0) {
                    return -1;
                }
                if (f != null && valueKind != NULL) {
                    switch (f) {
                        case TIMESTAMP -> {
                            if (valueKind == ESCAPED || valueEnd - valueStart > MAX_TIMESTAMP_BYTES
                                    || ByteScan.hasHighBytes(buf, valueStart, valueEnd)) {
                                return -1;
                            }
                            b.timestamp(timestamps.parse(buf, valueStart, valueEnd - valueStart));
                        }
                        case USER -> b.user(cachedText(buf));
                        case DATABASE -> b.database(cachedText(buf));
                        case PID -> b.pid((int) number(buf));
                        case REMOTE_HOST -> host = cachedText(buf);
                        case REMOTE_PORT -> port = cachedText(buf);
                        case CONNECTION_FROM -> b.client(cachedText(buf));
                        case SESSION_ID -> b.sessionId(cachedText(buf));
                        case SESSION_LINE -> b.sessionLine(number(buf));
                        case SEVERITY -> b.severity(severity(buf));
                        case SQL_STATE -> b.sqlState(cachedText(buf));
                        case MESSAGE -> b.message(string(buf));
                        case DETAIL -> b.detail(text(buf));
                        case HINT -> b.hint(text(buf));
                        case INTERNAL_QUERY -> b.internalQuery(text(buf));
                        case CONTEXT -> b.context(text(buf));
                        case STATEMENT -> b.statement(text(buf));
                        case APPLICATION -> b.application(cachedText(buf));
                    }
                    if (badText) {
                        badText = false;
                        return -1;
                    }
                }
                i = skipSpace(buf, i, end);
                if (i >= end) {
                    return -1;
                }
                if (buf[i] == '}') {
                    break;
                }
                if (buf[i] != ',') {
                    return -1;
                }
                i = skipSpace(buf, i + 1, end);
                if (i >= end) {
                    return -1;
                }
            }
        }
        // what follows the closing brace is not read, as with Jackson
        if (host != null) {
            b.client(client(host, port));
        }
        return i + 1;
    }

    /** Skips JSON white space but the newline, which ends a line. */
    private static int skipSpace(byte[] buf, int i, int end) {
        while (i < end) {
            byte c = buf[i];
            if (c != ' ' && c != '\t' && c != '\r') {
                return i;
            }
            i++;
        }
        return i;
    }

    /** The field a key names, or {@code null}; compares bytes, builds no string. */
    static Field field(byte[] buf, int from, int to) {
        int len = to - from;
        if (len > LONGEST_NAME) {
            return null;
        }
        byte[][] names = NAMES_BY_LENGTH[len];
        for (int k = 0; k < names.length; k++) {
            if (Arrays.equals(names[k], 0, len, buf, from, to)) {
                return FIELDS_BY_LENGTH[len][k];
            }
        }
        return null;
    }

    /**
     * Reads the scalar at {@code buf[i]} into the value fields and returns the index after it, or
     * -1 when it is malformed or of a kind left to Jackson. An escaped string is decoded only when
     * {@code wanted}; its escapes are checked either way.
     */
    private int value(byte[] buf, int i, int end, boolean wanted) {
        byte c = buf[i];
        if (c == '"') {
            return string(buf, i + 1, end, wanted);
        }
        if (c == 'n') {
            if (i + 4 > end || buf[i + 1] != 'u' || buf[i + 2] != 'l' || buf[i + 3] != 'l' || !delimiter(buf, i + 4, end)) {
                return -1;
            }
            valueKind = NULL;
            return i + 4;
        }
        int j = c == '-' ? i + 1 : i;
        int digitsStart = j;
        while (j < end && buf[j] >= '0' && buf[j] <= '9') {
            j++;
        }
        int digits = j - digitsStart;
        if (digits == 0 || digits > MAX_NUMBER_DIGITS || (digits > 1 && buf[digitsStart] == '0') || !delimiter(buf, j, end)) {
            return -1;
        }
        valueKind = NUMBER;
        valueStart = i;
        valueEnd = j;
        return j;
    }

    /** Whether a literal ends at {@code i}: Jackson rejects {@code 12x} and {@code nullx}. */
    private static boolean delimiter(byte[] buf, int i, int end) {
        if (i >= end) {
            return false;
        }
        byte c = buf[i];
        return c == ',' || c == '}' || c == ' ' || c == '\t' || c == '\r';
    }

    /**
     * Reads a string whose opening quote is at {@code start - 1}; see {@link #value}. Its UTF-8 is
     * checked only when the string is used: where Jackson refuses a skipped value's malformed bytes,
     * its lenient second reading of the line comes to the same entry.
     */
    private int string(byte[] buf, int start, int end, boolean wanted) {
        int j = ByteScan.indexOfJsonStringStop(buf, start, end);
        if (j >= end) {
            return -1;
        }
        if (buf[j] == '"') {
            valueKind = PLAIN;
            valueStart = start;
            valueEnd = j;
            return j + 1;
        }
        if (buf[j] != '\\') {
            return -1; // a raw control character
        }
        // escapes: decoded back to UTF-8 bytes, which become one string at the end
        int n = 0;
        int run = start;
        int k = j;
        while (true) {
            if (wanted) {
                n = append(buf, run, k - run, n);
            }
            if (buf[k] == '"') {
                break;
            }
            if (k + 1 >= end) {
                return -1;
            }
            int ch;
            int next = k + 2;
            switch (buf[k + 1]) {
                case '"' -> ch = '"';
                case '\\' -> ch = '\\';
                case '/' -> ch = '/';
                case 'b' -> ch = '\b';
                case 'f' -> ch = '\f';
                case 'n' -> ch = '\n';
                case 'r' -> ch = '\r';
                case 't' -> ch = '\t';
                case 'u' -> {
                    ch = hex4(buf, k + 2, end);
                    next = k + 6;
                    if (Character.isHighSurrogate((char) ch) && next + 1 < end && buf[next] == '\\' && buf[next + 1] == 'u') {
                        int low = hex4(buf, next + 2, end);
                        if (Character.isLowSurrogate((char) low)) {
                            ch = Character.toCodePoint((char) ch, (char) low);
                            next += 6;
                        }
                    }
                    if (ch < 0 || (ch >= Character.MIN_SURROGATE && ch <= Character.MAX_SURROGATE)) {
                        return -1; // malformed, or a lone surrogate, which has no UTF-8: Jackson's
                    }
                }
                default -> {
                    return -1;
                }
            }
            if (wanted) {
                n = appendCodePoint(ch, n);
            }
            run = next;
            k = ByteScan.indexOfJsonStringStop(buf, run, end);
            if (k >= end || (buf[k] != '"' && buf[k] != '\\')) {
                return -1;
            }
        }
        valueKind = ESCAPED;
        valueStart = start;
        valueEnd = k;
        unescaped = wanted ? new String(unescapedBytes, 0, n, StandardCharsets.UTF_8) : null;
        return k + 1;
    }

    /** The four hex digits at {@code buf[at]} as a number, or -1. */
    private static int hex4(byte[] buf, int at, int end) {
        if (at + 4 > end) {
            return -1;
        }
        int v = 0;
        for (int h = at; h < at + 4; h++) {
            int d = Character.digit(buf[h], 16);
            if (d < 0) {
                return -1;
            }
            v = (v << 4) | d;
        }
        return v;
    }

    private int append(byte[] buf, int from, int len, int n) {
        ensureUnescaped(n + len);
        System.arraycopy(buf, from, unescapedBytes, n, len);
        return n + len;
    }

    private int appendCodePoint(int cp, int n) {
        ensureUnescaped(n + 4);
        byte[] u = unescapedBytes;
        if (cp < 0x80) {
            u[n++] = (byte) cp;
        } else if (cp < 0x800) {
            u[n++] = (byte) (0xC0 | (cp >> 6));
            u[n++] = (byte) (0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            u[n++] = (byte) (0xE0 | (cp >> 12));
            u[n++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
            u[n++] = (byte) (0x80 | (cp & 0x3F));
        } else {
            u[n++] = (byte) (0xF0 | (cp >> 18));
            u[n++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
            u[n++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
            u[n++] = (byte) (0x80 | (cp & 0x3F));
        }
        return n;
    }

    private void ensureUnescaped(int needed) {
        if (needed > unescapedBytes.length) {
            unescapedBytes = Arrays.copyOf(unescapedBytes, Math.max(needed, unescapedBytes.length * 2));
        }
    }

    /**
     * The value as Jackson's {@code getText()}: a number's digits as written, a string decoded.
     * Bytes that are no well-formed UTF-8 flag {@link #badText} (a U+FFFD written as such does
     * too; that line then merely takes the slower way).
     */
    private String string(byte[] buf) {
        String s = valueKind == ESCAPED ? unescaped
                : new String(buf, valueStart, valueEnd - valueStart, StandardCharsets.UTF_8);
        if (s.indexOf('\uFFFD') >= 0) {
            badText = true;
        }
        return s;
    }

    /** The value's text, {@code null} when empty. */
    private String text(byte[] buf) {
        if (valueEnd == valueStart) {
            return null;
        }
        String s = string(buf);
        return s.isEmpty() ? null : s;
    }

    /** As {@link #text(byte[])} for values that repeat from record to record (names, ids, codes). */
    private String cachedText(byte[] buf) {
        if (valueEnd == valueStart) {
            return null;
        }
        if (valueKind == ESCAPED) {
            return text(buf);
        }
        String s = cache.get(buf, valueStart, valueEnd);
        if (s == null) {
            s = string(buf);
            if (!badText) {
                cache.put(buf, valueStart, valueEnd, s);
            }
        }
        return s;
    }

    private long number(byte[] buf) {
        if (valueKind == NUMBER) {
            boolean negative = buf[valueStart] == '-';
            long v = 0;
            for (int k = negative ? valueStart + 1 : valueStart; k < valueEnd; k++) {
                v = v * 10 + (buf[k] - '0');
            }
            return negative ? -v : v;
        }
        if (valueKind == ESCAPED) {
            return digits(string(buf));
        }
        int len = valueEnd - valueStart;
        if (len > 0 && len <= MAX_NUMBER_DIGITS) {
            long v = 0;
            int k = valueStart;
            for (; k < valueEnd; k++) {
                int d = buf[k] - '0';
                if (d < 0 || d > 9) {
                    break;
                }
                v = v * 10 + d;
            }
            if (k == valueEnd) {
                return v;
            }
        }
        if (ByteScan.hasHighBytes(buf, valueStart, valueEnd)) {
            string(buf); // no digit is non-ASCII; decoded only to refuse malformed UTF-8, as Jackson would
        }
        return -1;
    }

    private Severity severity(byte[] buf) {
        if (valueKind == PLAIN && valueEnd - valueStart == 3
                && buf[valueStart] == 'L' && buf[valueStart + 1] == 'O' && buf[valueStart + 2] == 'G') {
            return Severity.LOG;
        }
        return Severity.fromLogWord(string(buf));
    }
}
