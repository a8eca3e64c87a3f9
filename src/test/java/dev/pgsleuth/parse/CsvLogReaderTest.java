package dev.pgsleuth.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgsleuth.model.LogEntry;
import dev.pgsleuth.model.Severity;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvLogReaderTest {

    private final UnparsedLines unparsed = new UnparsedLines();

    private List<LogEntry> read(InputStream in) throws IOException {
        List<LogEntry> out = new ArrayList<>();
        new CsvLogReader().read(in, "test.csv", b -> out.add(b.build()), unparsed);
        return out;
    }

    private List<LogEntry> read(String csv) throws IOException {
        return read(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)));
    }

    private List<LogEntry> corpus(String name) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/corpus/" + name)) {
            return read(in);
        }
    }

    /** A PostgreSQL 14+ row (26 columns) around a message, detail and query. */
    private static String row26(String sessionLine, String message, String detail, String query) {
        return "2026-05-16 05:11:50.269 UTC,\"app_user\",\"shop\",4242,\"10.0.0.7:51234\",6644a1b2.1092,"
                + sessionLine + ",\"SELECT\",2026-05-16 05:00:00 UTC,3/77,0,LOG,00000," + message + ","
                + detail + ",,,,,\"" + query + "\",,,\"web\",\"client backend\",,-42\n";
    }

    @Test
    void readsTheCsvlogOfPostgres9To12WithApplicationName() throws IOException {
        List<LogEntry> entries = corpus("anonymize.log");
        assertEquals(0, unparsed.count(), unparsed.samples().toString());
        assertEquals(8, entries.size());
        LogEntry first = entries.get(0);
        assertEquals(OffsetDateTime.parse("2021-01-22T10:03:22.785+01:00"), first.timestamp());
        assertEquals("aaaa", first.user());
        assertEquals("aaaa", first.database());
        assertEquals(1486, first.pid());
        assertEquals("127.0.0.1:52306", first.client());
        assertEquals("6009c305.5ce", first.sessionId());
        assertEquals(32878, first.sessionLine());
        assertEquals(Severity.LOG, first.severity());
        assertEquals("00000", first.sqlState());
        assertEquals("duration: 26.120 ms  execute S_65: select * from testZustaendigkeiten($1, $2, $3, $4, $5)",
                first.message());
        assertTrue(first.detail().startsWith("parameters: $1 = 'XXXXXXXX', $2 = NULL"));
        assertEquals("PostgreSQL JDBC Driver", first.application());
        assertNull(first.hint());
        assertNull(first.statement());
        assertEquals(1, first.position().line());
        assertEquals(0, first.position().offset());
        assertEquals(2, entries.get(1).position().line());
        assertTrue(entries.get(1).message().endsWith("AND attname LIKE 'version_rank' ORDER BY nspname,c.relname,attnum "));
    }

    @Test
    void readsA25ColumnFileWithQuotedTimestamps() throws IOException {
        List<LogEntry> entries = corpus("csv_statement_without_duration.log");
        assertEquals(0, unparsed.count());
        assertEquals(2, entries.size());
        assertEquals(OffsetDateTime.parse("2026-05-16T05:11:50.269Z"), entries.get(0).timestamp());
        assertEquals("example app", entries.get(0).application());
        assertEquals("statement: SELECT example_schema.health_check()", entries.get(1).message());
        assertEquals("192.0.2.20:54322", entries.get(1).client());
    }

    @Test
    void quotedFieldsKeepRawNewlinesAndDoubledQuotes() throws IOException {
        String message = "\"duration: 1.000 ms  statement: SELECT 'a,b', \"\"x\"\"\nFROM t\r\nWHERE y = 'it''s'\"";
        String first = row26("1", message, "", "");
        String csv = first + row26("2", "\"connection authorized\"", "\"\"", "");
        List<LogEntry> entries = read(csv);
        assertEquals(0, unparsed.count());
        assertEquals(2, entries.size());
        assertEquals("duration: 1.000 ms  statement: SELECT 'a,b', \"x\"\nFROM t\r\nWHERE y = 'it''s'",
                entries.get(0).message());
        assertEquals("web", entries.get(0).application());
        assertEquals(4, entries.get(1).position().line(), "the first record spans three lines");
        assertEquals(first.getBytes(StandardCharsets.UTF_8).length, entries.get(1).position().offset());
        assertNull(entries.get(1).detail(), "an empty field is absent");
    }

    @Test
    void everyColumnCountFrom84To17IsRead() throws IOException {
        String base = "2024-01-02 03:04:05.678 CET,\"u\",\"d\",7,\"[local]\",65a1.7,3,\"idle\",2024-01-02 03:00:00 CET,"
                + "2/3,0,LOG,00000,\"statement: SELECT 1\",,,,,,,,";
        String csv = base + "\n"                         // 8.4: 22 columns, no application_name
                + base + ",\"psql\"\n"                    // 9.0-12
                + base + ",\"psql\",\"client backend\"\n" // 13
                + base + ",\"psql\",\"client backend\",,0\n"; // 14+
        List<LogEntry> entries = read(csv);
        assertEquals(0, unparsed.count(), unparsed.samples().toString());
        assertEquals(4, entries.size());
        assertNull(entries.get(0).application());
        for (LogEntry e : entries.subList(1, 4)) {
            assertEquals("psql", e.application());
            assertEquals("statement: SELECT 1", e.message());
            assertEquals(OffsetDateTime.parse("2024-01-02T03:04:05.678+01:00"), e.timestamp());
        }
    }

    @Test
    void aMalformedRecordIsCountedAndTheNextOneStillRead() throws IOException {
        String csv = row26("1", "\"ok one\"", "", "")
                + "2026-05-16 05:11:50.269 UTC,\"u\",\"d\",1,\"h:1\",ab.1,2,\"x\"oops\",more\n" // stray quote
                + "just,a,few,columns\n"
                + row26("3", "\"ok two\"", "", "");
        List<LogEntry> entries = read(csv);
        assertEquals(List.of("ok one", "ok two"), entries.stream().map(LogEntry::message).toList());
        assertEquals(2, unparsed.count());
        assertTrue(unparsed.samples().get(0).startsWith("test.csv:2: "), unparsed.samples().toString());
        assertTrue(unparsed.samples().get(1).startsWith("test.csv:3: "), unparsed.samples().toString());
    }

    @Test
    void anUnterminatedQuoteAtTheEndIsCountedNotThrown() throws IOException {
        String csv = row26("1", "\"complete\"", "", "")
                + "2026-05-16 05:11:50.269 UTC,\"u\",\"d\",1,\"h:1\",ab.1,2,\"cut off in the mid";
        List<LogEntry> entries = read(csv);
        assertEquals(1, entries.size());
        assertEquals(1, unparsed.count());
    }

    @Test
    void blankLinesAndAMissingFinalNewlineAreFine() throws IOException {
        String row = row26("1", "\"last\"", "", "");
        String csv = "\n" + row + "\n" + row.substring(0, row.length() - 1);
        List<LogEntry> entries = read(csv);
        assertEquals(0, unparsed.count());
        assertEquals(2, entries.size());
    }

    @Test
    void recordsSplitAcrossReadsAreReassembled() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= 50; i++) {
            sb.append(row26(String.valueOf(i), "\"statement: SELECT " + i + ",\n\"\"" + "x".repeat(i * 50) + "\"\"\"",
                    "\"parameters: $1 = '" + i + "'\"", "q" + i));
        }
        byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        List<LogEntry> whole = read(new ByteArrayInputStream(bytes));
        List<LogEntry> trickled = read(new FilterInputStream(new ByteArrayInputStream(bytes)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 7));
            }
        });
        assertEquals(50, whole.size());
        assertEquals(whole, trickled);
        assertEquals("statement: SELECT 7,\n\"" + "x".repeat(350) + "\"", whole.get(6).message());
        assertEquals("q7", whole.get(6).statement());
        assertEquals(0, unparsed.count());
    }

    @Test
    void utf8TextIsDecoded() throws IOException {
        List<LogEntry> entries = read(row26("1", "\"statement: SELECT 'héllo ✓'\"", "", ""));
        assertEquals("statement: SELECT 'héllo ✓'", entries.get(0).message());
    }

    @Test
    void returnsThePhysicalLineCount() throws IOException {
        String csv = row26("1", "\"a\nb\nc\"", "", "") + row26("2", "\"d\"", "", "");
        long lines = new CsvLogReader().read(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)),
                "x", b -> { }, unparsed);
        assertEquals(4, lines);
    }
}
