package dev.pgsleuth.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgsleuth.model.LogEntry;
import dev.pgsleuth.model.Severity;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class JsonLogReaderTest {

    private final UnparsedLines unparsed = new UnparsedLines();

    private List<LogEntry> read(InputStream in) throws IOException {
        List<LogEntry> out = new ArrayList<>();
        new JsonLogReader().read(in, "test.json", b -> out.add(b.build()), unparsed);
        return out;
    }

    private List<LogEntry> read(String text) throws IOException {
        return read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void readsARealAutovacuumLog() throws IOException {
        List<LogEntry> entries;
        try (InputStream in = new GZIPInputStream(getClass().getResourceAsStream("/corpus/pg_vacuums.json.gz"))) {
            entries = read(in);
        }
        assertEquals(0, unparsed.count(), unparsed.samples().toString());
        assertEquals(3544, entries.size());
        LogEntry first = entries.get(0);
        assertEquals(OffsetDateTime.parse("2024-06-27T00:00:07.369+02:00"), first.timestamp());
        assertEquals(58151, first.pid());
        assertEquals("667c8f67.e327", first.sessionId());
        assertEquals(1, first.sessionLine());
        assertEquals(Severity.LOG, first.severity());
        assertTrue(first.message().startsWith("automatic analyze of table \"testdb.sales.tab_shop_stats\"\nI/O timings"));
        assertNull(first.user(), "absent keys stay absent");
        assertNull(first.client());
        assertEquals(2, entries.get(1).position().line());
        assertTrue(entries.stream().allMatch(e -> e.timestamp() != null && e.severity() == Severity.LOG));
    }

    @Test
    void readsEveryKnownKey() throws IOException {
        String line = "{\"timestamp\":\"2025-03-01 10:00:00.123 UTC\",\"user\":\"app\",\"dbname\":\"shop\",\"pid\":99,"
                + "\"remote_host\":\"10.1.2.3\",\"remote_port\":5555,\"session_id\":\"67c2.63\",\"line_num\":12,"
                + "\"ps\":\"SELECT\",\"session_start\":\"2025-03-01 09:00:00 UTC\",\"vxid\":\"3/4\",\"txid\":0,"
                + "\"error_severity\":\"ERROR\",\"state_code\":\"42P01\",\"message\":\"relation \\\"x\\\" does not exist\","
                + "\"detail\":\"d\",\"hint\":\"h\",\"internal_query\":\"iq\",\"internal_position\":3,\"context\":\"c\","
                + "\"statement\":\"SELECT *\\nFROM x\",\"cursor_position\":15,\"application_name\":\"web\","
                + "\"backend_type\":\"client backend\",\"query_id\":-123456789012345}\n";
        LogEntry e = read(line).get(0);
        assertEquals(OffsetDateTime.parse("2025-03-01T10:00:00.123Z"), e.timestamp());
        assertEquals("app", e.user());
        assertEquals("shop", e.database());
        assertEquals(99, e.pid());
        assertEquals("10.1.2.3:5555", e.client());
        assertEquals("67c2.63", e.sessionId());
        assertEquals(12, e.sessionLine());
        assertEquals(Severity.ERROR, e.severity());
        assertEquals("42P01", e.sqlState());
        assertEquals("relation \"x\" does not exist", e.message());
        assertEquals("d", e.detail());
        assertEquals("h", e.hint());
        assertEquals("iq", e.internalQuery());
        assertEquals("c", e.context());
        assertEquals("SELECT *\nFROM x", e.statement());
        assertEquals("web", e.application());
        assertEquals(0, e.position().offset());
    }

    @Test
    void badLinesAreCountedAndSkipped() throws IOException {
        String good = "{\"timestamp\":\"2025-03-01 10:00:00.123 UTC\",\"pid\":1,\"error_severity\":\"LOG\",\"message\":\"m\"}";
        String text = good + "\n"
                + "{\"timestamp\":\"2025-03-01 10:00:00.123 UTC\",\"message\":\"cut off\n"  // truncated object
                + "not json at all\n"
                + "[1,2,3]\n"
                + "{}\n"
                + "\n"
                + "{\"pid\":\"not a number\",\"message\":\"odd pid\",\"nested\":{\"a\":[1,{\"b\":2}]}}\r\n"
                + good;
        List<LogEntry> entries = read(text);
        assertEquals(List.of("m", "odd pid", "m"), entries.stream().map(LogEntry::message).toList());
        assertEquals(-1, entries.get(1).pid());
        assertEquals(4, unparsed.count(), unparsed.samples().toString());
        assertTrue(unparsed.samples().get(0).startsWith("test.json:2: "));
        assertEquals(8, entries.get(2).position().line());
    }

    @Test
    void bytesOfAnotherEncodingAreReadLeniently() throws IOException {
        byte[] head = "{\"pid\":1,\"message\":\"statement: SELECT 'caf".getBytes(StandardCharsets.US_ASCII);
        byte[] tail = "'\"}\n".getBytes(StandardCharsets.US_ASCII);
        byte[] line = new byte[head.length + 1 + tail.length];
        System.arraycopy(head, 0, line, 0, head.length);
        line[head.length] = (byte) 0xE9; // é in LATIN1, invalid as UTF-8
        System.arraycopy(tail, 0, line, head.length + 1, tail.length);
        List<LogEntry> entries = read(new ByteArrayInputStream(line));
        assertEquals(0, unparsed.count());
        assertEquals("statement: SELECT 'caf\uFFFD'", entries.get(0).message());
    }

    @Test
    void aLineSplitAcrossReadsIsWhole() throws IOException {
        String big = "x".repeat(200_000);
        String text = "{\"message\":\"" + big + "\",\"pid\":5}\n{\"message\":\"after\",\"pid\":6}\n";
        List<LogEntry> entries = read(text);
        assertEquals(0, unparsed.count());
        assertEquals(big, entries.get(0).message());
        assertEquals("after", entries.get(1).message());
        assertEquals(text.indexOf("{\"message\":\"after"), entries.get(1).position().offset());
    }
}
