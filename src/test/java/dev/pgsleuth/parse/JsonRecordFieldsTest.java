package dev.pgsleuth.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgsleuth.model.LogEntry;
import dev.pgsleuth.model.Severity;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The byte-level {@link JsonRecordFields#readLine} against Jackson's reading of the same lines. */
class JsonRecordFieldsTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Reads a line the byte-level way; fails when that way gives up. */
    private static LogEntry fast(JsonRecordFields fields, byte[] line) {
        LogEntry.Builder b = LogEntry.builder();
        assertTrue(fields.readLine(line, 0, line.length, b), () -> "readLine gave up on " + new String(line, StandardCharsets.UTF_8));
        return b.build();
    }

    private static LogEntry jackson(byte[] line) {
        LogEntry.Builder b = JsonLogReader.jacksonEntry(new JsonRecordFields(), line, 0, line.length);
        return b == null ? null : b.build();
    }

    @Test
    void decodesEscapesNonAsciiAndSurrogatePairs() {
        String line = "{\"message\":\"a \\\"q\\\" \\\\ \\/ \\b\\f\\n\\r\\t \\u00e9\\u00C9 \\ud83d\\ude00 h\u00e9llo \u2713 \uD83D\uDE00\","
                + "\"user\":\"j\u00fcrgen\",\"detail\":\"\\u0041BC\"}";
        LogEntry e = fast(new JsonRecordFields(), utf8(line));
        assertEquals("a \"q\" \\ / \b\f\n\r\t \u00e9\u00c9 \uD83D\uDE00 h\u00e9llo \u2713 \uD83D\uDE00", e.message());
        assertEquals("j\u00fcrgen", e.user());
        assertEquals("ABC", e.detail());
        assertEquals(e, jackson(utf8(line)));
    }

    @Test
    void numbersAndStringsAsJacksonReadsThem() {
        String line = "{ \"pid\" : -7 , \"line_num\":\"12\",\"remote_host\":\"h\",\"remote_port\":-0,"
                + "\"error_severity\":\"WARNING\",\"message\":\"\",\"detail\":\"\",\"timestamp\":\"2025-03-01T10:00:00.5 +03\"}";
        LogEntry e = fast(new JsonRecordFields(), utf8(line));
        assertEquals(-7, e.pid());
        assertEquals(12, e.sessionLine());
        assertEquals("h:-0", e.client());
        assertEquals(Severity.WARNING, e.severity());
        assertEquals("", e.message(), "an empty message stays a message");
        assertNull(e.detail(), "an empty detail is absent");
        assertEquals(OffsetDateTime.parse("2025-03-01T10:00:00.5+03:00"), e.timestamp());
        assertEquals(e, jackson(utf8(line)));
    }

    @Test
    void givesUpOnWhatItDoesNotCheckItself() {
        JsonRecordFields fields = new JsonRecordFields();
        for (String line : List.of(
                "{\"message\":\"m\",\"nested\":{\"a\":1}}",
                "{\"message\":\"m\",\"list\":[1]}",
                "{\"message\":\"m\",\"flag\":true}",
                "{\"message\":\"m\",\"pid\":1.5}",
                "{\"message\":\"m\",\"pid\":1e3}",
                "{\"message\":\"m\",\"pid\":01}",
                "{\"message\":\"m\",\"pid\":1234567890123456789}",
                "{\"mess\\u0061ge\":\"m\"}",
                "{\"message\":\"raw\ttab\"}",
                "{\"message\":\"bad \\x escape\"}",
                "{\"message\":\"m\",}",
                "{\"message\":\"m\"",
                "\uFEFF{\"message\":\"m\"}",
                "[1]",
                "{\"message\":\"m\" \"pid\":1}",
                "{\"message\":nul}",
                "{\"message\":\"\uFFFD\"}")) {
            byte[] bytes = utf8(line);
            assertFalse(fields.readLine(bytes, 0, bytes.length, LogEntry.builder()), line);
        }
        byte[] latin1 = "{\"message\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
        assertFalse(fields.readLine(latin1, 0, latin1.length, LogEntry.builder()), "malformed UTF-8 is Jackson's");
    }

    @Test
    void theTextCacheNeverMixesUpValues() {
        JsonRecordFields fields = new JsonRecordFields();
        // far more distinct values than slots, revisited in a different order: every slot is shared
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 5000; i++) {
                int k = round == 1 ? 4999 - i : (i * 7919) % 5000;
                String user = "u" + k;
                String session = k % 2 == 0 ? "6a." + k : "6a." + k + "\u00e9";
                byte[] line = utf8("{\"user\":\"" + user + "\",\"session_id\":\"" + session + "\",\"dbname\":\"d" + (k % 13)
                        + "\",\"application_name\":\"" + "a".repeat(k % 70) + "\",\"message\":\"m\"}");
                LogEntry e = fast(fields, line);
                assertEquals(user, e.user());
                assertEquals(session, e.sessionId());
                assertEquals("d" + (k % 13), e.database());
                assertEquals(k % 70 == 0 ? null : "a".repeat(k % 70), e.application());
            }
        }
        byte[] line = utf8("{\"user\":\"app\",\"message\":\"m\"}");
        assertSame(fast(fields, line).user(), fast(fields, line).user(), "a repeated value is one string");
    }

    @Test
    void matchesEveryKeyByItsBytes() {
        for (JsonRecordFields.Field f : JsonRecordFields.Field.values()) {
            assertNotNull(f);
        }
        byte[] key = utf8("xsession_line_numx");
        assertEquals(JsonRecordFields.Field.SESSION_LINE, JsonRecordFields.field(key, 1, key.length - 1));
        assertNull(JsonRecordFields.field(key, 0, key.length));
        assertNull(JsonRecordFields.field(key, 1, key.length - 2));
        byte[] others = utf8("dbnameuser_namequery");
        assertEquals(JsonRecordFields.Field.DATABASE, JsonRecordFields.field(others, 0, 6));
        assertEquals(JsonRecordFields.Field.USER, JsonRecordFields.field(others, 6, 15));
        assertEquals(JsonRecordFields.Field.STATEMENT, JsonRecordFields.field(others, 15, 20));
    }

    /**
     * Random lines, well-formed and then damaged byte by byte: wherever the byte-level way does not
     * give up, it reads exactly what Jackson reads; and it gives up rarely on well-formed lines.
     */
    @Test
    void agreesWithJacksonOnRandomAndDamagedLines() {
        Random random = new Random(7);
        JsonRecordFields fields = new JsonRecordFields();
        int wellFormedFast = 0;
        int wellFormed = 0;
        int damagedFast = 0;
        for (int n = 0; n < 20_000; n++) {
            byte[] line = randomLine(random);
            boolean damaged = n % 2 == 1;
            if (damaged) {
                line = damage(random, line);
            }
            LogEntry.Builder b = LogEntry.builder();
            boolean tookFastWay = fields.readLine(line, 0, line.length, b);
            if (!damaged) {
                wellFormed++;
            }
            if (tookFastWay) {
                LogEntry mine = b.message() != null || b.timestamp() != null ? b.build() : null;
                byte[] shown = line;
                assertEquals(jackson(line), mine, () -> new String(shown, StandardCharsets.ISO_8859_1));
                if (damaged) {
                    damagedFast++;
                } else {
                    wellFormedFast++;
                }
            }
        }
        assertTrue(wellFormedFast > wellFormed / 2, wellFormedFast + " of " + wellFormed);
        assertTrue(damagedFast > 1000, "damaged lines read the fast way: " + damagedFast);
    }

    private static final String[] KEYS = {"timestamp", "log_time", "user", "user_name", "dbname", "database_name", "pid",
        "process_id", "remote_host", "remote_port", "connection_from", "session_id", "line_num", "session_line_num",
        "error_severity", "state_code", "sql_state_code", "message", "detail", "hint", "internal_query", "context",
        "statement", "query", "application_name", "ps", "vxid", "txid", "backend_type", "query_id", "x", ""};

    static byte[] randomLine(Random r) {
        StringBuilder sb = new StringBuilder();
        sb.append(space(r)).append('{');
        int keys = r.nextInt(12);
        for (int k = 0; k < keys; k++) {
            if (k > 0) {
                sb.append(space(r)).append(',');
            }
            sb.append(space(r)).append('"').append(KEYS[r.nextInt(KEYS.length)]).append('"').append(space(r)).append(':')
                    .append(space(r)).append(randomValue(r)).append(space(r));
        }
        sb.append('}').append(r.nextInt(10) == 0 ? " trailing" : "");
        return utf8(sb.toString());
    }

    private static String space(Random r) {
        return switch (r.nextInt(12)) {
            case 0 -> " ";
            case 1 -> "\t";
            case 2 -> "\r ";
            default -> "";
        };
    }

    private static final String[] WORDS = {"LOG", "ERROR", "DEBUG1", "2025-03-01 10:00:00.123 UTC", "2024-06-27 00:00:07 +03",
        "2021-01-22 10:03:22.785 CET", "2025-13-01 10:00:00", "12", "0", "-3", "007", "", " ", "app", "10.0.0.1", "[local]",
        "SELECT 1", "h\u00e9llo", "\u2713", "\uD83D\uDE00"};

    private static String randomValue(Random r) {
        return switch (r.nextInt(9)) {
            case 0 -> String.valueOf(r.nextInt(100_000) - 50);
            case 1 -> switch (r.nextInt(8)) {
                case 0 -> "null";
                case 1 -> "true";
                case 2 -> "1.25";
                case 3 -> "-0";
                case 4 -> String.valueOf(r.nextLong());
                case 5 -> "{\"a\":[1,2]}";
                case 6 -> "12345678901234567";
                default -> "[]";
            };
            case 2, 3 -> '"' + WORDS[r.nextInt(WORDS.length)] + '"';
            default -> {
                StringBuilder sb = new StringBuilder("\"");
                int parts = r.nextInt(8);
                for (int p = 0; p < parts; p++) {
                    sb.append(switch (r.nextInt(12)) {
                        case 0 -> "\\\"";
                        case 1 -> "\\n";
                        case 2 -> "\\\\";
                        case 3 -> String.format("\\u%04x", r.nextInt(0x10000));
                        case 4 -> String.format("\\u%04X", r.nextInt(0x80));
                        case 5 -> "\\/\\t\\b\\f\\r";
                        case 6 -> "\u00e9\u00fc";
                        case 7 -> "\u4e2d\uD83D\uDE00";
                        default -> WORDS[r.nextInt(WORDS.length)] + " x".repeat(r.nextInt(6));
                    });
                }
                yield sb.append('"').toString();
            }
        };
    }

    private static final byte[] NOISE = {'"', '\\', ',', ':', '{', '}', '[', 'n', 'u', '0', '9', '-', '.', 'e', ' ', '\t',
        0x01, 0x00, (byte) 0xe9, (byte) 0xc3, (byte) 0xa9, (byte) 0x80, (byte) 0xf0, (byte) 0xed, (byte) 0xa0, (byte) 0xef,
        (byte) 0xbf, (byte) 0xbd};

    static byte[] damage(Random r, byte[] line) {
        return Damage.oneByte(r, line, NOISE);
    }
}
