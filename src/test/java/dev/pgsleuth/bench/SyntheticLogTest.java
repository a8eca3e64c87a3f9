package dev.pgsleuth.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgsleuth.normalize.SqlNormalizer;
import dev.pgsleuth.parse.LogFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SyntheticLogTest {
    private static final long MB = 1 << 20;
    /** PostgreSQL 17's jsonlog keys, in the order jsonlog.c writes them. */
    private static final List<String> JSON_KEYS = List.of("timestamp", "user", "dbname", "pid", "remote_host",
            "remote_port", "session_id", "line_num", "ps", "session_start", "vxid", "txid", "error_severity",
            "state_code", "message", "detail", "hint", "internal_query", "internal_position", "context", "statement",
            "cursor_position", "func_name", "file_name", "file_line_num", "application_name", "backend_type",
            "leader_pid", "query_id");
    private static final List<String> JSON_ALWAYS = List.of("timestamp", "pid", "session_id", "line_num",
            "session_start", "txid", "error_severity", "message", "backend_type", "query_id");

    private final ObjectMapper json = new ObjectMapper();

    private static Written write(LogFormat format, long bytes, int shapes, long seed) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) bytes + 65536);
        Summary summary = SyntheticLog.write(new SyntheticLog.Settings(format, bytes, shapes, seed), out);
        return new Written(out.toByteArray(), summary);
    }

    private record Written(byte[] bytes, Summary summary) {
        String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    @ParameterizedTest
    @EnumSource(value = LogFormat.class, names = {"STDERR", "CSVLOG", "JSONLOG"})
    void sameSeedSameBytesOtherSeedOtherBytes(LogFormat format) throws IOException {
        Written a = write(format, 3 * MB, 3000, 42);
        Written b = write(format, 3 * MB, 3000, 42);
        Written c = write(format, 3 * MB, 3000, 43);
        assertArrayEquals(a.bytes(), b.bytes());
        assertEquals(a.summary(), b.summary());
        assertFalse(java.util.Arrays.equals(a.bytes(), c.bytes()));
    }

    @ParameterizedTest
    @EnumSource(value = LogFormat.class, names = {"STDERR", "CSVLOG", "JSONLOG"})
    void sizeIsTheRequestedOneWithinTwoPercentAndTheSummaryCountsBytesAndLines(LogFormat format) throws IOException {
        for (long size : new long[] {1 * MB, 6 * MB}) {
            Written w = write(format, size, 3000, 1);
            assertTrue(Math.abs(w.bytes().length - size) <= size * 0.02, w.bytes().length + " bytes for " + size);
            assertEquals(w.bytes().length, w.summary().bytes());
            long newlines = 0;
            for (byte x : w.bytes()) {
                newlines += x == '\n' ? 1 : 0;
            }
            assertEquals(newlines, w.summary().lines());
            assertEquals('\n', w.bytes()[w.bytes().length - 1]);
        }
    }

    @Test
    void stderrCountsMatchTheWrittenLines() throws IOException {
        Written w = write(LogFormat.STDERR, 8 * MB, 3000, 7);
        List<LogLines.Entry> entries = LogLines.stderr(w.text());
        Map<EntryKind, Long> counted = new EnumMap<>(EntryKind.class);
        long withStatement = 0;
        for (LogLines.Entry e : entries) {
            counted.merge(LogLines.kind(e.severity(), e.message()), 1L, Long::sum);
            withStatement += e.statement() != null ? 1 : 0;
        }
        assertCounts(w.summary(), counted, entries.size());
        Summary s = w.summary();
        assertEquals(s.count(EntryKind.ERROR) + s.count(EntryKind.LOCK_WAIT) + s.count(EntryKind.LOCK_ACQUIRED)
                + s.count(EntryKind.TEMP_FILE), withStatement, "STATEMENT lines");
        // grep -c, the way a user would check
        String log = w.text();
        assertEquals(s.count(EntryKind.EXECUTE), count(log, " LOG:  duration: ", "  execute "));
        assertEquals(s.count(EntryKind.DISCONNECTION), count(log, " LOG:  disconnection: session time: ", ""));
        assertEquals(s.count(EntryKind.ERROR), count(log, " ERROR:  ", ""));
    }

    private static long count(String log, String a, String b) {
        return log.lines().filter(l -> l.contains(a) && l.contains(b)).count();
    }

    @Test
    void everyKindOfEntryAppearsInAFewMegabytes() throws IOException {
        Summary s = write(LogFormat.STDERR, 40 * MB, 3000, 1).summary();
        for (EntryKind k : EntryKind.values()) {
            assertTrue(s.count(k) > 0, k + " written");
        }
        assertTrue(s.nPlusOneLoops() > 0);
        assertTrue(s.nPlusOneLookups() >= 5 * s.nPlusOneLoops() && s.nPlusOneLookups() <= 50 * s.nPlusOneLoops());
        assertEquals(s.sessions(), s.count(EntryKind.CONNECTION_RECEIVED));
        assertEquals(s.sessions(), s.count(EntryKind.DISCONNECTION));
        assertEquals(3000, s.distinctShapes(), "40 MB sweep every one of 3,000 shapes");
    }

    @Test
    void distinctShapesAreWhatTheProjectsNormalizerFinds() throws IOException {
        Written w = write(LogFormat.STDERR, 6 * MB, 300, 3);
        SqlNormalizer normalizer = new SqlNormalizer();
        Set<String> fingerprints = new HashSet<>();
        for (LogLines.Entry e : LogLines.stderr(w.text())) {
            EntryKind k = LogLines.kind(e.severity(), e.message());
            if (k == EntryKind.STATEMENT || k == EntryKind.EXECUTE) {
                fingerprints.add(normalizer.normalize(LogLines.durationStatement(e.message())).fingerprint());
            }
        }
        assertEquals(300, w.summary().distinctShapes());
        assertEquals(w.summary().distinctShapes(), fingerprints.size());
    }

    @Test
    void csvRecordsHaveThe26ColumnsOfPostgres17() throws IOException {
        Path sample = Path.of("sample-logs/postgresql.csv");
        for (List<String> r : LogLines.csv(Files.readString(sample))) {
            assertEquals(26, r.size(), "the test's csv split on the real sample");
        }
        Written w = write(LogFormat.CSVLOG, 8 * MB, 3000, 5);
        List<List<String>> records = LogLines.csv(w.text());
        Map<EntryKind, Long> counted = new EnumMap<>(EntryKind.class);
        for (List<String> r : records) {
            assertEquals(26, r.size(), r.toString());
            counted.merge(LogLines.kind(r.get(11), r.get(13)), 1L, Long::sum);
            assertNotNull(r.get(23), "backend_type");
            assertNotNull(r.get(22), "application_name, quoted even when empty");
            assertEquals("0", r.get(25), "query_id");
            assertTrue(r.get(5).matches("[0-9a-f]+\\.[0-9a-f]+"), "session id " + r.get(5));
        }
        assertCounts(w.summary(), counted, records.size());
    }

    @Test
    void jsonLinesParseAndHaveTheJsonlogKeysInOrder() throws IOException {
        Set<String> sampleKeys = new HashSet<>();
        for (String line : Files.readAllLines(Path.of("sample-logs/postgresql.json"))) {
            json.readTree(line).fieldNames().forEachRemaining(sampleKeys::add);
        }
        Written w = write(LogFormat.JSONLOG, 8 * MB, 3000, 5);
        Map<EntryKind, Long> counted = new EnumMap<>(EntryKind.class);
        Set<String> keys = new HashSet<>();
        String[] lines = w.text().split("\n");
        for (String line : lines) {
            JsonNode node = json.readTree(line);
            List<String> names = new ArrayList<>();
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                names.add(it.next());
            }
            keys.addAll(names);
            assertTrue(names.containsAll(JSON_ALWAYS), names.toString());
            int last = -1;
            for (String n : names) {
                int at = JSON_KEYS.indexOf(n);
                assertTrue(at > last, "key " + n + " known and in jsonlog order: " + names);
                last = at;
            }
            assertTrue(node.get("pid").isInt() && node.get("line_num").isInt() && node.get("txid").isNumber());
            counted.merge(LogLines.kind(node.get("error_severity").asText(), node.get("message").asText()), 1L,
                    Long::sum);
        }
        assertCounts(w.summary(), counted, lines.length);
        assertTrue(sampleKeys.containsAll(keys), "no key the real server does not write: " + keys);
    }

    @Test
    void valuesWithQuotesCommasAndNewlinesAreQuotedAsPostgresQuotesThem() throws IOException {
        String log = write(LogFormat.STDERR, 8 * MB, 3000, 9).text();
        assertTrue(log.contains("= 'O''Brien, \"Jr.\"'"));
        assertTrue(log.contains("= 'first line\n\tsecond line, with ''quotes'''"));
        assertTrue(log.contains("Zoë Šimić"));
        assertTrue(log.contains(" execute S_1: "), "pgjdbc's named statements after five executions");
        assertTrue(log.contains(" LOG:  duration: ") && log.contains("  parse <unnamed>: BEGIN;"), "pgbench");
    }

    @Test
    void rejectsWhatItCannotWrite() {
        assertThrows(IllegalArgumentException.class, () -> new SyntheticLog.Settings(LogFormat.SYSLOG, MB, 3000, 1));
        assertThrows(IllegalArgumentException.class, () -> new SyntheticLog.Settings(LogFormat.STDERR, 0, 3000, 1));
        assertThrows(IllegalArgumentException.class, () -> new SyntheticLog.Settings(LogFormat.STDERR, MB, 10, 1));
        assertThrows(IllegalArgumentException.class, () -> new SyntheticLog.Settings(LogFormat.STDERR, MB,
                SyntheticLog.Settings.maxShapes() + 1, 1));
    }

    @Test
    void writesAFileToo(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("synthetic.log");
        Summary s = SyntheticLog.write(new SyntheticLog.Settings(LogFormat.STDERR, MB, 3000, 1), file);
        assertEquals(Files.size(file), s.bytes());
        assertArrayEquals(Files.readAllBytes(file), write(LogFormat.STDERR, MB, 3000, 1).bytes());
    }

    private static void assertCounts(Summary s, Map<EntryKind, Long> counted, long entries) {
        for (EntryKind k : EntryKind.values()) {
            assertEquals(s.count(k), counted.getOrDefault(k, 0L), k.toString());
        }
        assertEquals(s.entries(), entries);
    }
}
