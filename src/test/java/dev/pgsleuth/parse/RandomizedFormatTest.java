package dev.pgsleuth.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgsleuth.model.LogEntry;
import dev.pgsleuth.model.Severity;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded random inputs: well-formed records survive any content, damaged input never throws and
 * costs only the damaged records, and the interpreter counts every interleaved statement once.
 */
class RandomizedFormatTest {

    private static final String ALPHABET = "abcXYZ019 ,;'\"\n\t\\{}[]$=:éß✓";

    private static String randomText(Random r, int max) {
        int n = r.nextInt(max + 1);
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    /** PostgreSQL's csvlog quoting: text in quotes with quotes doubled, NULL as nothing. */
    private static String csv(String s) {
        return s == null ? "" : "\"" + s.replace("\"", "\"\"") + "\"";
    }

    private static String csvRow(int i, String message, String detail, String query, String app) {
        return "2026-05-16 05:11:" + String.format("%02d", i % 60) + ".269 UTC," + csv("u" + i) + ",\"db\"," + (1000 + i)
                + ",\"10.0.0.1:5432\",sess." + i + "," + i + ",\"SELECT\",2026-05-16 05:00:00 UTC,1/1,0,LOG,00000,"
                + csv(message) + "," + csv(detail) + ",,,,," + csv(query) + ",,," + csv(app) + ",\"client backend\",,0\n";
    }

    @Test
    void csvRecordsWithAnyTextAreReadBack() throws IOException {
        Random r = new Random(20260516);
        for (int round = 0; round < 50; round++) {
            StringBuilder file = new StringBuilder();
            List<String[]> expected = new ArrayList<>();
            int rows = 1 + r.nextInt(30);
            for (int i = 0; i < rows; i++) {
                String message = randomText(r, 200);
                String detail = r.nextBoolean() ? null : randomText(r, 50);
                String query = r.nextBoolean() ? null : randomText(r, 100);
                String app = r.nextBoolean() ? null : randomText(r, 10);
                file.append(csvRow(i, message, detail, query, app));
                expected.add(new String[] {message, detail, query, app});
            }
            UnparsedLines unparsed = new UnparsedLines();
            List<LogEntry> entries = new ArrayList<>();
            new CsvLogReader().read(new ByteArrayInputStream(file.toString().getBytes(StandardCharsets.UTF_8)), "r",
                    b -> entries.add(b.build()), unparsed);
            assertEquals(0, unparsed.count(), unparsed.samples().toString());
            assertEquals(rows, entries.size());
            for (int i = 0; i < rows; i++) {
                String[] x = expected.get(i);
                LogEntry e = entries.get(i);
                // csvlog cannot tell an empty text from a NULL one; both read as absent
                assertEquals(emptyToNull(x[0]), e.message());
                assertEquals(emptyToNull(x[1]), e.detail());
                assertEquals(emptyToNull(x[2]), e.statement());
                assertEquals(emptyToNull(x[3]), e.application());
                assertEquals(1000 + i, e.pid());
                assertEquals("sess." + i, e.sessionId());
            }
        }
    }

    @Test
    void csvJunkLinesCostOnlyThemselves() throws IOException {
        Random r = new Random(7);
        for (int round = 0; round < 50; round++) {
            StringBuilder file = new StringBuilder();
            int rows = 1 + r.nextInt(20);
            int junk = 0;
            for (int i = 0; i < rows; i++) {
                if (r.nextInt(3) == 0) {
                    // a junk line without quotes cannot swallow the records after it
                    file.append(randomText(r, 80).replace("\"", "").replace("\n", " ")).append('\n');
                    junk++;
                }
                file.append(csvRow(i, "m" + i + randomText(r, 40), null, null, "a"));
            }
            UnparsedLines unparsed = new UnparsedLines();
            List<LogEntry> entries = new ArrayList<>();
            new CsvLogReader().read(new ByteArrayInputStream(file.toString().getBytes(StandardCharsets.UTF_8)), "r",
                    b -> entries.add(b.build()), unparsed);
            assertEquals(rows, entries.size());
            assertTrue(unparsed.count() <= junk);
        }
    }

    @Test
    void damagedBytesNeverThrow() throws IOException {
        Random r = new Random(99);
        StringBuilder base = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            base.append(csvRow(i, "duration: 1.000 ms  statement: SELECT '" + i + "'\nFROM t", "parameters: $1 = 'x'", null, "a"));
        }
        byte[] csv = base.toString().getBytes(StandardCharsets.UTF_8);
        for (int round = 0; round < 300; round++) {
            byte[] damaged = csv.clone();
            for (int k = 0; k < 1 + r.nextInt(20); k++) {
                damaged[r.nextInt(damaged.length)] = (byte) r.nextInt(256);
            }
            int cut = r.nextInt(damaged.length + 1);
            for (FormatReader reader : List.of(new CsvLogReader(), new JsonLogReader(), new CnpgReader())) {
                UnparsedLines unparsed = new UnparsedLines();
                List<LogEntry> entries = new ArrayList<>();
                StatementInterpreter interpreter = new StatementInterpreter(entries::add);
                reader.read(new ByteArrayInputStream(damaged, 0, cut), "d", interpreter, unparsed);
                interpreter.finish();
                assertTrue(entries.size() <= 80);
            }
        }
    }

    @Test
    void jsonlogLinesSurviveDamageToOtherLines() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        Random r = new Random(3);
        for (int round = 0; round < 50; round++) {
            List<String> lines = new ArrayList<>();
            List<String> messages = new ArrayList<>();
            int n = 2 + r.nextInt(20);
            for (int i = 0; i < n; i++) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("timestamp", "2025-01-01 00:00:00.000 UTC");
                o.put("pid", i);
                o.put("session_id", "s" + i);
                o.put("error_severity", "LOG");
                String message = "m" + randomText(r, 100);
                o.put("message", message);
                if (r.nextBoolean()) {
                    o.put("statement", randomText(r, 60));
                }
                lines.add(mapper.writeValueAsString(o));
                messages.add(message);
            }
            int victim = r.nextInt(n);
            char[] damaged = lines.get(victim).toCharArray();
            damaged[r.nextInt(damaged.length)] = '{';
            damaged[r.nextInt(damaged.length)] = '"';
            lines.set(victim, new String(damaged));
            UnparsedLines unparsed = new UnparsedLines();
            List<LogEntry> entries = new ArrayList<>();
            new JsonLogReader().read(new ByteArrayInputStream(String.join("\n", lines).getBytes(StandardCharsets.UTF_8)),
                    "j", b -> entries.add(b.build()), unparsed);
            List<String> read = entries.stream().map(LogEntry::message).toList();
            for (int i = 0; i < n; i++) {
                if (i != victim) {
                    assertTrue(read.contains(messages.get(i)), "line " + i + " lost");
                }
            }
            assertEquals(n, entries.size() + unparsed.count());
        }
    }

    /** Sessions interleave statements logged in every way PostgreSQL can; each counts once. */
    @Test
    void interleavedSessionsCountEveryStatementOnceWithItsDuration() {
        interleave(new Random(11), false);
    }

    /**
     * With room for fewer sessions than there are, held lines are released early; a statement may
     * then lose its duration or plan, but is still counted exactly once.
     */
    @Test
    void releasingEarlyNeverCountsTwiceNorLoses() {
        interleave(new Random(12), true);
    }

    private static void interleave(Random r, boolean tight) {
        for (int round = 0; round < 200; round++) {
            List<LogEntry> out = new ArrayList<>();
            int sessions = 1 + r.nextInt(8);
            int room = tight ? 1 + r.nextInt(sessions) : sessions;
            StatementInterpreter interpreter = new StatementInterpreter(out::add, room, 10, 3600);
            Map<String, Double> expected = new HashMap<>();
            List<List<LogEntry.Builder>> scripts = new ArrayList<>();
            for (int s = 0; s < sessions; s++) {
                scripts.add(new ArrayList<>());
            }
            int second = 0;
            for (int q = 0; q < 60; q++) {
                int s = r.nextInt(sessions);
                String sql = "SELECT " + q + " /* s" + s + " */";
                double ms = 1 + q;
                String plan = "duration: 0.500 ms  plan:\nQuery Text: " + sql + "\nResult  (cost=0.00..0.01 rows=1 width=4)";
                List<LogEntry.Builder> script = scripts.get(s);
                switch (r.nextInt(4)) {
                    case 0 -> script.add(entry(s, "duration: " + ms + "00 ms  statement: " + sql));
                    case 1 -> {
                        script.add(entry(s, "statement: " + sql));
                        script.add(entry(s, "duration: " + ms + "00 ms"));
                    }
                    case 2 -> {
                        script.add(entry(s, plan));
                        script.add(entry(s, "duration: " + ms + "00 ms  execute <unnamed>: " + sql));
                    }
                    default -> {
                        script.add(entry(s, "duration: " + ms + "00 ms  execute S_1: " + sql));
                        script.add(entry(s, plan));
                    }
                }
                expected.put(sql, ms);
            }
            // interleave the sessions' scripts, each in its own order
            int[] next = new int[sessions];
            int remaining = scripts.stream().mapToInt(List::size).sum();
            while (remaining > 0) {
                int s = r.nextInt(sessions);
                if (next[s] < scripts.get(s).size()) {
                    LogEntry.Builder b = scripts.get(s).get(next[s]++);
                    b.timestamp(OffsetDateTime.parse("2026-01-01T00:00:00Z").plusSeconds(second / 20));
                    second++;
                    interpreter.accept(b);
                    remaining--;
                }
            }
            interpreter.finish();
            Map<String, Double> counted = new HashMap<>();
            for (LogEntry e : out) {
                if (e.isExecution()) {
                    assertEquals(null, counted.put(e.statement(), e.durationMs()), "counted twice: " + e.statement());
                }
            }
            if (tight) {
                assertEquals(expected.keySet(), counted.keySet());
            } else {
                assertEquals(expected, counted);
            }
        }
    }

    private static LogEntry.Builder entry(int session, String message) {
        return LogEntry.builder().sessionId("s" + session).pid(session).severity(Severity.LOG).message(message);
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
