package dev.pgsleuth.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgsleuth.model.LogEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Records split in place against the same records read by the state machine alone. */
class CsvLogReaderInPlaceTest {

    private static ReadOutcome read(byte[] bytes, boolean inPlace, int maxRead) throws IOException {
        return ReadOutcome.of((out, unparsed) ->
                new CsvLogReader(inPlace).read(ReadOutcome.inReadsOf(bytes, maxRead), "t.csv", out, unparsed));
    }

    @Test
    void doubledQuotesNewlinesAndNonAsciiTextSplitInPlace() throws IOException {
        String row = "2026-05-16 05:11:50.269 UTC,\"app\",\"shop\",42,\"10.0.0.7:5\",66.1,1,\"SELECT\",2026-05-16 05:00:00 UTC,"
                + "3/77,0,LOG,00000,\"statement: SELECT \"\"h\u00e9llo\"\" \u2713\nFROM t WHERE a = '\"\"'\",\"\"\"\"\"\",,,,,,,,\"web\"\r\n";
        byte[] bytes = (row + row).getBytes(StandardCharsets.UTF_8);
        ReadOutcome fast = read(bytes, true, Integer.MAX_VALUE);
        assertEquals(2, fast.entries().size());
        LogEntry e = fast.entries().get(1);
        assertEquals("statement: SELECT \"h\u00e9llo\" \u2713\nFROM t WHERE a = '\"'", e.message());
        assertEquals("\"\"", e.detail());
        assertEquals("web", e.application());
        assertEquals(3, e.position().line());
        assertEquals(row.getBytes(StandardCharsets.UTF_8).length, e.position().offset());
        assertEquals(read(bytes, false, Integer.MAX_VALUE), fast);
    }

    @Test
    void aRecordLargerThanTheBufferIsStreamed() throws IOException {
        String big = "x\"\"".repeat(3 << 20);
        String row = "2026-05-16 05:11:50.269 UTC,\"u\",\"d\",1,,s.1,1,,,,0,LOG,00000,\"" + big + "\",,,,,,,,,\n";
        byte[] bytes = (row + row.replace("u", "v")).getBytes(StandardCharsets.UTF_8);
        ReadOutcome fast = read(bytes, true, Integer.MAX_VALUE);
        assertEquals(2, fast.entries().size());
        assertEquals(big.replace("\"\"", "\""), fast.entries().get(0).message());
        assertEquals("v", fast.entries().get(1).user());
        assertEquals(read(bytes, false, Integer.MAX_VALUE), fast);
        assertEquals(fast, read(bytes, true, 65_000));
    }

    @Test
    void aLongRecordArrivingInShortReadsIsRead() throws IOException {
        String row = "2026-05-16 05:11:50.269 UTC,\"u\",\"d\",1,,s.1,1,,,,0,LOG,00000,\"" + "y\n".repeat(50_000) + "\",,,,,,,,,\n";
        byte[] bytes = (row + row + row).getBytes(StandardCharsets.UTF_8);
        ReadOutcome fast = read(bytes, true, 4096);
        assertEquals(3, fast.entries().size());
        assertEquals(100_003, fast.entries().get(2).position().line());
        assertEquals(read(bytes, false, Integer.MAX_VALUE), fast);
    }

    /**
     * Random csvlog, well-formed and then damaged byte by byte, read whole and in reads of a few
     * bytes: the same entries, positions, line count and unparsed samples as the state machine.
     */
    @Test
    void agreesWithTheStateMachineOnRandomAndDamagedInput() throws IOException {
        Random random = new Random(11);
        int entries = 0;
        for (int round = 0; round < 300; round++) {
            byte[] bytes = randomLog(random, 1 + random.nextInt(30));
            if (round % 3 != 0) {
                for (int d = random.nextInt(4); d > 0; d--) {
                    bytes = damage(random, bytes);
                }
            }
            ReadOutcome machine = read(bytes, false, Integer.MAX_VALUE);
            int maxRead = round % 2 == 0 ? Integer.MAX_VALUE : 1 + random.nextInt(300);
            ReadOutcome fast = read(bytes, true, maxRead);
            assertEquals(machine, fast, new String(bytes, StandardCharsets.ISO_8859_1));
            entries += fast.entries().size();
        }
        assertTrue(entries > 2000, "entries read: " + entries);
    }

    static byte[] randomLog(Random r, int records) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < records; k++) {
            if (r.nextInt(15) == 0) {
                sb.append(r.nextBoolean() ? "\n" : "\r\n");
            }
            int columns = switch (r.nextInt(6)) {
                case 0 -> 22;
                case 1 -> 23;
                case 2 -> 24;
                case 3 -> 21;
                default -> 26;
            };
            for (int c = 0; c < columns; c++) {
                if (c > 0) {
                    sb.append(',');
                }
                sb.append(switch (c) {
                    case 0 -> r.nextBoolean() ? "2026-05-16 05:11:5" + r.nextInt(10) + "." + r.nextInt(1000) + " UTC"
                            : "\"2024-06-27 00:00:07 +03\"";
                    case 3, 6 -> String.valueOf(r.nextInt(100_000));
                    case 11 -> r.nextBoolean() ? "LOG" : "ERROR";
                    default -> field(r);
                });
            }
            sb.append(r.nextInt(8) == 0 ? "\r\n" : "\n");
        }
        if (r.nextInt(4) == 0) {
            sb.setLength(sb.length() - 1);
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static final String[] WORDS = {"app", "shop", "10.0.0.7:5432", "[local]", "6644a1b2.1092", "00000",
        "statement: SELECT 1", "h\u00e9llo \u2713", "a,b", "x\ny", "\"\"quoted\"\"", "\r", "", "duration: 1.5 ms"};

    private static String field(Random r) {
        int kind = r.nextInt(5);
        if (kind == 0) {
            return "";
        }
        if (kind == 1) {
            return r.nextBoolean() ? "12" : "abc";
        }
        StringBuilder sb = new StringBuilder("\"");
        for (int p = r.nextInt(4); p >= 0; p--) {
            sb.append(WORDS[r.nextInt(WORDS.length)]);
        }
        return sb.append('"').toString();
    }

    private static final byte[] NOISE = {'"', ',', '\n', '\r', 'x', ' ', (byte) 0xe9, (byte) 0xc3};

    static byte[] damage(Random r, byte[] bytes) {
        return Damage.oneByte(r, bytes, NOISE);
    }
}
