package dev.pgsleuth.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgsleuth.model.LogEntry;
import dev.pgsleuth.source.LogInput;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Syslog, Heroku and Cloud SQL: a header of their own around PostgreSQL's stderr line. */
class WrappedFormatsTest {
    private final UnparsedLines unparsed = new UnparsedLines();

    private List<LogEntry> read(FormatReader reader, String text) throws IOException {
        List<LogEntry> out = new ArrayList<>();
        reader.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "t", b -> out.add(b.build()),
                unparsed);
        return out;
    }

    private static ParseResult parse(String text, List<LogEntry> out) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return new LogParser().read(LogInput.of("t", () -> new ByteArrayInputStream(bytes)), ParseOptions.auto(),
                b -> out.add(b.build()));
    }

    private static final String SYSLOG = """
            Sep  6 08:40:10 db1 postgres[10819]: [7-1] user=bob,db=shop LOG:  duration: 1.000 ms  statement: SELECT a,
            Sep  6 08:40:10 db1 postgres[10820]: [3-1] user=ann,db=shop LOG:  duration: 2.000 ms  statement: SELECT 2
            Sep  6 08:40:10 db1 postgres[10819]: [7-2] #011       b FROM t WHERE x = 'a long line cut by syslog at nine
            Sep  6 08:40:10 db1 postgres[10819]: [7-3] hundred bytes'
            Sep  6 08:40:11 db1 postgres[10819]: [8-1] user=bob,db=shop ERROR:  division by zero
            Sep  6 08:40:11 db1 postgres[10819]: [8-2] user=bob,db=shop STATEMENT:  SELECT 1/0
            Sep  6 08:40:12 db1 kernel: [12345.678] something else entirely
            """;

    @Test
    void syslogPiecesAreJoinedAndTabsRestored() throws IOException {
        Clock clock = Clock.fixed(Instant.parse("2024-03-01T00:00:00Z"), ZoneOffset.UTC);
        SyslogReader reader = new SyslogReader(null, clock);
        List<LogEntry> entries = read(reader, SYSLOG);
        assertEquals("user=%u,db=%d ", reader.prefix());
        assertEquals(3, entries.size(), entries.toString());
        LogEntry first = entries.get(0);
        assertEquals(10819, first.pid());
        assertEquals("bob", first.user());
        assertEquals("duration: 1.000 ms  statement: SELECT a,\n       b FROM t WHERE x = 'a long line cut by syslog "
                + "at ninehundred bytes'", first.message());
        // no year in classic syslog: the last 6 September before the clock's present
        assertEquals("2023-09-06T08:40:10Z", first.timestamp().toString());
        assertEquals(10820, entries.get(1).pid());
        assertEquals("SELECT 1/0", entries.get(2).statement());
        assertEquals(1, unparsed.count());
        assertTrue(unparsed.samples().get(0).endsWith("something else entirely"));
    }

    @Test
    void rsyslogIsoTimestampsAndDetection() {
        String log = """
                2024-05-01T10:00:00.123456+02:00 db1 postgres[5]: [1-1] LOG:  checkpoint starting: time
                2024-05-01T10:00:01.000000+02:00 db1 postgres[6]: [1-1] LOG:  duration: 1.000 ms  statement: SELECT 1
                """;
        List<LogEntry> out = new ArrayList<>();
        ParseResult r = parse(log, out);
        assertEquals(LogFormat.SYSLOG, r.format());
        assertEquals("", r.prefix());
        assertEquals(2, out.size());
        assertEquals("2024-05-01T10:00:00.123456+02:00", out.get(0).timestamp().toString());
        assertEquals(6, out.get(1).pid());
        assertEquals(0, r.unparsed().count());
    }

    private static final String HEROKU = """
            2017-06-28T15:10:02+00:00 app[postgres.13761]: [DATABASE] [7-1]  sql_error_code = 00000 LOG:  duration: 4822.012 ms  statement: SELECT column
            2017-06-28T15:10:02+00:00 app[postgres.13761]: [DATABASE] [7-2]       FROM table
            2017-06-28T15:10:03+00:00 app[postgres.13762]: [DATABASE] [8-1]  sql_error_code = 42P01 ERROR:  relation "x" does not exist
            2017-06-28T15:10:03+00:00 app[postgres.13762]: [DATABASE] [8-2]  sql_error_code = 42P01 STATEMENT:  SELECT * FROM x
            """;

    @Test
    void herokuLinesWithAttachmentNameAndPieces() {
        List<LogEntry> out = new ArrayList<>();
        ParseResult r = parse(HEROKU, out);
        assertEquals(LogFormat.HEROKU, r.format());
        assertEquals("sql_error_code = %e ", r.prefix());
        assertEquals(0, r.unparsed().count(), () -> r.unparsed().samples().toString());
        assertEquals(2, out.size());
        assertEquals("duration: 4822.012 ms  statement: SELECT column\nFROM table", out.get(0).message());
        assertEquals("DATABASE", out.get(0).database());
        assertEquals(13761, out.get(0).pid());
        assertEquals("2017-06-28T15:10:02Z", out.get(0).timestamp().toString());
        assertEquals("42P01", out.get(1).sqlState());
        assertEquals("SELECT * FROM x", out.get(1).statement());
    }

    @Test
    void cloudSqlTextPayloadIsAStderrLine() {
        String log = """
                {"insertId":"s1","logName":"projects/p/logs/cloudsql.googleapis.com%2Fpostgres.log","receiveTimestamp":"2021-06-01T10:00:01Z","resource":{"labels":{"database_id":"p:db"},"type":"cloudsql_database"},"severity":"INFO","textPayload":"2021-06-01 10:00:00.123 UTC [123]: [1-1] db=shop,user=bob LOG:  duration: 3.000 ms  statement: SELECT 1","timestamp":"2021-06-01T10:00:00.123Z"}
                {"insertId":"s2","severity":"ERROR","textPayload":"2021-06-01 10:00:00.200 UTC [124]: [2-1] db=shop,user=bob ERROR:  boom","timestamp":"2021-06-01T10:00:00.200Z"}
                {"insertId":"s3","severity":"ERROR","textPayload":"2021-06-01 10:00:00.200 UTC [124]: [3-1] db=shop,user=bob STATEMENT:  SELECT boom(\\n\\t1)","timestamp":"2021-06-01T10:00:00.200Z"}
                {"broken json
                """;
        List<LogEntry> out = new ArrayList<>();
        ParseResult r = parse(log, out);
        assertEquals(LogFormat.CLOUDSQL, r.format());
        assertEquals("%m [%p]: [%l-1] db=%d,user=%u ", r.prefix());
        assertEquals(2, out.size());
        assertEquals("shop", out.get(0).database());
        assertEquals(123, out.get(0).pid());
        assertEquals("SELECT boom(\n1)", out.get(1).statement());
        assertEquals(1, r.unparsed().count());
        assertNull(out.get(0).detail());
    }

    @Test
    void rdsWithCloudWatchTimestampsIsStderr() {
        String log = """
                2019-01-01T10:00:00.000Z 2019-01-01 10:00:00 UTC:10.0.0.1(5432):admin@prod:[1234]:LOG:  duration: 2.667 ms  statement: select 1
                2019-01-01T10:00:01.000Z 2019-01-01 10:00:01 UTC::@:[99]:LOG:  checkpoint starting: time
                """;
        List<LogEntry> out = new ArrayList<>();
        ParseResult r = parse(log, out);
        assertEquals(LogFormat.STDERR, r.format());
        assertEquals("%t:%r:%u@%d:[%p]:", r.prefix());
        assertEquals(2, out.size());
        assertEquals("prod", out.get(0).database());
        assertEquals(0, r.unparsed().count());
    }
}
