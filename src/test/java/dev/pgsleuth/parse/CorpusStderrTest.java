package dev.pgsleuth.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgsleuth.model.LogEntry;
import dev.pgsleuth.model.Severity;
import dev.pgsleuth.source.LogInput;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every stderr-family log of pgBadger's test corpus is read through the facade, detection included. */
class CorpusStderrTest {

    static Path corpus(String name) {
        try {
            return Path.of(CorpusStderrTest.class.getResource("/corpus/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<LogEntry> read(String name, List<ParseResult> result) {
        List<LogEntry> entries = new ArrayList<>();
        ParseResult r = new LogParser().read(LogInput.of(corpus(name)), ParseOptions.auto(), b -> entries.add(b.build()));
        result.add(r);
        return entries;
    }

    @Test
    void lightBzip2HasPgBadgersStatementCount() {
        List<ParseResult> res = new ArrayList<>();
        List<LogEntry> entries = read("light.postgres.log.bz2", res);
        ParseResult r = res.get(0);
        assertEquals(LogFormat.STDERR, r.format());
        assertEquals("%t [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h ", r.prefix());
        assertEquals(0, r.unparsed().count(), () -> r.unparsed().samples().toString());
        assertEquals(630, r.lines());
        long statements = entries.stream()
                .filter(e -> e.message().startsWith("duration:") || e.message().startsWith("statement:")).count();
        assertEquals(629, statements);
        LogEntry first = entries.get(1);
        assertEquals("postgres", first.user());
        assertEquals("postgres", first.database());
        assertEquals("pgbench", first.application());
        assertEquals("172.23.0.1", first.client());
        assertEquals(36, first.pid());
        assertEquals(121, first.sessionLine());
        assertEquals("2017-09-06T08:41:41Z", first.timestamp().toString());
        LogEntry shutdown = entries.get(0);
        assertNull(shutdown.user());
        assertNull(shutdown.application());
    }

    @Test
    void multilineBindParametersStayInTheirDetail() {
        List<ParseResult> res = new ArrayList<>();
        List<LogEntry> entries = read("multiline_param.log", res);
        ParseResult r = res.get(0);
        assertEquals("%m [%p] user=%u,db=%d ", r.prefix());
        assertEquals(0, r.unparsed().count(), () -> r.unparsed().samples().toString());
        assertEquals(8, entries.size());
        LogEntry bind = entries.get(4);
        assertTrue(bind.message().startsWith("duration: 0.700 ms  bind njTypeOidQuery_Name: SELECT"));
        assertEquals("parameters: $1 = '1234', $2 = 'njchar\nhello', $3 = 'aaaa'", bind.detail());
        assertEquals("user1", bind.user());
        assertEquals("mydb", bind.database());
        assertEquals("2021-12-03T07:14:48.594Z", bind.timestamp().toString());
    }

    @Test
    void debianPrefixAndNonPostgresLines() {
        List<ParseResult> res = new ArrayList<>();
        List<LogEntry> entries = read("pg_rawcsv.log", res);
        ParseResult r = res.get(0);
        assertEquals("%m [%p] %q%u@%d ", r.prefix());
        // pg_ctl's own output in the server log is no PostgreSQL entry
        assertEquals(2, r.unparsed().count());
        assertTrue(r.unparsed().samples().get(0).endsWith("pg_ctl: could not start server"));
        assertTrue(r.unparsed().samples().get(1).endsWith("Examine the log output."));
        assertEquals(9, entries.size());
        LogEntry error = entries.get(7);
        assertEquals(Severity.ERROR, error.severity());
        assertEquals("gilles", error.user());
        assertEquals("gilles", error.database());
        assertEquals("conflicting values for \"Y\" field in formatting string", error.message());
        assertEquals("This value contradicts a previous setting for the same field type.", error.detail());
        assertEquals("SELECT TO_DATE('311299999','DDMMYYYYY');", error.statement());
        assertEquals("2025-01-21T18:38:06.453+01:00", error.timestamp().toString());
        assertNull(entries.get(0).user());
    }

    @Test
    void defaultPrefixWithMoscowTime() {
        List<ParseResult> res = new ArrayList<>();
        List<LogEntry> entries = read("stmt_type.log", res);
        ParseResult r = res.get(0);
        assertEquals("%m [%p] ", r.prefix());
        assertEquals(0, r.unparsed().count());
        assertEquals(12, entries.size());
        assertEquals("2019-10-21T12:03:34.123+03:00", entries.get(4).timestamp().toString());
        assertTrue(entries.get(4).message().contains("forêt & océan"));
    }

    @Test
    void tempFilesGzipWithStatementSiblingsAndVacuumContinuations() {
        List<ParseResult> res = new ArrayList<>();
        List<LogEntry> entries = read("tempfile_only.log.gz", res);
        ParseResult r = res.get(0);
        assertEquals("%t [%p]: [%l-1] user=%u,db=%d ", r.prefix());
        assertEquals(0, r.unparsed().count(), () -> r.unparsed().samples().toString());
        LogEntry temp = entries.get(2);
        assertTrue(temp.message().startsWith("temporary file: path \"base/pgsql_tmp/pgsql_tmp19475.0\""));
        assertTrue(temp.statement().startsWith("SELECT \"order_lines\".\"id\" AS t0_r0"));
        assertEquals("2014-04-01T11:15:54+02:00", temp.timestamp().toString());
        LogEntry vacuum = entries.stream().filter(e -> e.message().startsWith("automatic vacuum")).findFirst().get();
        assertTrue(vacuum.message().endsWith("index scans: 1\npages: 0 removed, 305 remain\ntuples: 151 removed, "
                + "755 remain\nsystem usage: CPU 0.00s/0.00u sec elapsed 0.14 sec"), vacuum.message());
    }
}
