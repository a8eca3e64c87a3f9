package dev.pgsleuth.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgsleuth.model.LogEntry;
import dev.pgsleuth.model.Severity;
import dev.pgsleuth.model.StatementPhase;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatementInterpreterTest {

    private static final OffsetDateTime T0 = OffsetDateTime.parse("2026-05-16T05:11:50Z");
    private static final String PLAN_Q = "Query Text: SELECT * FROM t WHERE id = $1\nQuery Parameters: $1 = '7'\n"
            + "Index Scan using t_pkey on t  (cost=0.15..8.17 rows=1 width=4)\n  Index Cond: (id = $1)";

    private final List<LogEntry> out = new ArrayList<>();
    private StatementInterpreter interpreter = new StatementInterpreter(out::add);

    private static LogEntry.Builder raw(String session, String message) {
        return raw(session, 0, message);
    }

    private static LogEntry.Builder raw(String session, int second, String message) {
        return LogEntry.builder().sessionId(session).timestamp(T0.plusSeconds(second)).pid(100)
                .severity(Severity.LOG).message(message).application("app");
    }

    private List<LogEntry> run(LogEntry.Builder... entries) {
        for (LogEntry.Builder b : entries) {
            interpreter.accept(b);
        }
        interpreter.finish();
        return out;
    }

    private List<LogEntry> executions() {
        return out.stream().filter(LogEntry::isExecution).toList();
    }

    @Test
    void simpleStatementWithDuration() {
        LogEntry e = run(raw("s", "duration: 1.500 ms  statement: SELECT 1")).get(0);
        assertEquals(StatementPhase.SIMPLE, e.phase());
        assertEquals("SELECT 1", e.statement());
        assertEquals(1.5, e.durationMs());
        assertNull(e.preparedName());
        assertEquals("duration: 1.500 ms  statement: SELECT 1", e.message(), "the message stays as logged");
        assertEquals(1, out.size());
    }

    @Test
    void extendedProtocolForms() {
        run(raw("s", "duration: 0.100 ms  parse <unnamed>: SELECT $1"),
                raw("s", "duration: 0.050 ms  bind S_3: SELECT $1").detail("Parameters: $1 = 'x'"),
                raw("s", "duration: 2.000 ms  execute S_3: SELECT $1").detail("Parameters: $1 = 'x'"),
                raw("s", "duration: 3.000 ms  execute S_4/C_5: SELECT 2"),
                raw("s", "duration: 4.000 ms  execute fetch from S_4/C_5: SELECT 2"),
                raw("s", "duration: 5.000 ms  execute fetch from <unnamed>/C_1: SELECT 3"),
                raw("s", "execute <unnamed>: SELECT 4"));
        assertEquals(List.of(StatementPhase.PARSE, StatementPhase.BIND, StatementPhase.EXECUTE, StatementPhase.EXECUTE,
                StatementPhase.EXECUTE, StatementPhase.EXECUTE, StatementPhase.EXECUTE),
                out.stream().map(LogEntry::phase).toList());
        assertEquals(Arrays.asList(null, "S_3", "S_3", "S_4", "S_4", null, null),
                out.stream().map(LogEntry::preparedName).toList());
        assertEquals(List.of("x"), out.get(1).parameters());
        assertEquals(List.of("x"), out.get(2).parameters());
        assertFalse(out.get(0).isExecution());
        assertFalse(out.get(1).isExecution());
        assertEquals(5, executions().size());
        assertEquals("SELECT 2", out.get(4).statement());
        assertFalse(out.get(6).hasDuration(), "a log_statement line whose duration never came");
    }

    @Test
    void logStatementLineIsJoinedWithItsBareDuration() {
        run(raw("a", "statement: SELECT 'a'"),
                raw("b", "statement: SELECT 'b'"),
                raw("b", "duration: 2.000 ms"),
                raw("a", "execute S_1: SELECT $1").detail("parameters: $1 = '1'"),
                raw("a", "duration: 3.000 ms"));
        assertEquals(3, out.size(), out.toString());
        LogEntry b = find("SELECT 'b'");
        assertEquals(2.0, b.durationMs());
        LogEntry a = find("SELECT 'a'");
        assertFalse(a.hasDuration(), "its session went on to another statement: no duration will come");
        LogEntry exec = find("SELECT $1");
        assertEquals(3.0, exec.durationMs());
        assertEquals(StatementPhase.EXECUTE, exec.phase());
        assertEquals(List.of("1"), exec.parameters());
    }

    @Test
    void bareDurationWithoutStatementPassesThroughWithItsDuration() {
        LogEntry e = run(raw("s", "duration: 7.250 ms")).get(0);
        assertNull(e.statement());
        assertNull(e.phase());
        assertEquals(7.25, e.durationMs());
    }

    @Test
    void planBeforeItsStatementLineIsAttachedAndCountedOnce() {
        run(raw("s", "duration: 0.900 ms  plan:\n" + PLAN_Q),
                raw("s", "duration: 1.000 ms  execute <unnamed>: SELECT * FROM t WHERE id = $1")
                        .detail("Parameters: $1 = '7'"));
        assertEquals(1, out.size());
        LogEntry e = out.get(0);
        assertEquals(1.0, e.durationMs(), "the statement's own duration");
        assertTrue(e.plan().startsWith("Index Scan using t_pkey"), e.plan());
        assertEquals(List.of("7"), e.parameters());
    }

    @Test
    void planAfterItsExecuteLineIsAttached() {
        run(raw("s", "duration: 1.000 ms  execute <unnamed>: SELECT * FROM t WHERE id = $1"),
                raw("s", "duration: 0.900 ms  plan:\n" + PLAN_Q),
                raw("s", "duration: 0.100 ms  parse <unnamed>: SELECT 2"));
        assertEquals(2, out.size());
        LogEntry e = out.get(0);
        assertEquals(1.0, e.durationMs());
        assertTrue(e.plan().startsWith("Index Scan"));
        assertEquals(List.of("7"), e.parameters(), "from Query Parameters, as the execute line had none");
    }

    @Test
    void logStatementThenPlanThenBareDurationIsOneExecution() {
        run(raw("s", "statement: SELECT * FROM t WHERE id = $1"),
                raw("s", "duration: 0.900 ms  plan:\n" + PLAN_Q),
                raw("s", "duration: 1.100 ms"));
        assertEquals(1, out.size());
        assertEquals(1.1, out.get(0).durationMs());
        assertTrue(out.get(0).plan().startsWith("Index Scan"));
    }

    @Test
    void aPlanWhoseStatementIsNeverLoggedBecomesTheExecution() {
        run(raw("s", "duration: 250.000 ms  plan:\n" + PLAN_Q),
                raw("s", "disconnection: session time: 0:00:01.000 user=u database=d host=h port=1"));
        assertEquals(2, out.size());
        LogEntry e = out.get(0);
        assertTrue(e.isExecution());
        assertEquals(StatementPhase.SIMPLE, e.phase());
        assertEquals("SELECT * FROM t WHERE id = $1", e.statement());
        assertEquals(250.0, e.durationMs());
        assertEquals(List.of("7"), e.parameters());
        assertTrue(e.plan().startsWith("Index Scan"));
        assertTrue(out.get(1).message().startsWith("disconnection"));
    }

    @Test
    void aNestedStatementsPlanStaysItsOwnExecution() {
        String inner = "Query Text: SELECT x FROM inner_t\nSeq Scan on inner_t  (cost=0.00..1.00 rows=1 width=4)";
        String outer = "Query Text: SELECT f()\nResult  (cost=0.00..0.26 rows=1 width=4)";
        run(raw("s", "duration: 5.000 ms  plan:\n" + inner),
                raw("s", "duration: 6.000 ms  plan:\n" + outer),
                raw("s", "duration: 6.500 ms  statement: SELECT f()"));
        assertEquals(2, executions().size());
        assertEquals(5.0, find("SELECT x FROM inner_t").durationMs());
        LogEntry top = find("SELECT f()");
        assertEquals(6.5, top.durationMs());
        assertTrue(top.plan().startsWith("Result"));
    }

    @Test
    void errorsKeepTheStatementWithoutPhaseAndEndTheFailedStatement() {
        run(raw("s", "statement: SELECT 1/0"),
                raw("s", "division by zero").severity(Severity.ERROR).sqlState("22012").statement("SELECT 1/0"));
        assertEquals(2, out.size());
        assertEquals(StatementPhase.SIMPLE, out.get(0).phase(), "the statement was run, and failed");
        assertFalse(out.get(0).hasDuration());
        LogEntry error = out.get(1);
        assertEquals("SELECT 1/0", error.statement());
        assertNull(error.phase());
        assertFalse(error.isExecution());
    }

    @Test
    void ownStatementsAreDroppedAndCounted() {
        run(raw("s", "duration: 1.000 ms  statement: SELECT 1").application("pgsleuth"),
                raw("t", "statement:   /* pgsleuth */ EXPLAIN (ANALYZE) SELECT 2").application(null),
                raw("t", "duration: 30.000 ms"),
                raw("u", "duration: 0.500 ms  plan:\nQuery Text: /* pgsleuth */ SELECT 3\nResult  (cost=0.00..0.01 rows=1 width=4)"),
                raw("u", "duration: 0.600 ms  statement: /* pgsleuth */ SELECT 3"),
                raw("v", "duration: 1.000 ms  statement: SELECT 4"));
        assertEquals(List.of("SELECT 4"), out.stream().map(LogEntry::statement).toList());
        assertEquals(3, interpreter.ownStatementsDropped());
    }

    @Test
    void otherEntriesPassThroughUnchanged() {
        LogEntry.Builder b = raw("s", "checkpoint starting: time").detail("parameters: $1 = 'not a bind'");
        LogEntry expected = b.build();
        run(b);
        assertEquals(List.of(expected), out);
    }

    @Test
    void lookAlikesAreNotStatements() {
        run(raw("s", "duration: abc ms  statement: SELECT 1"),
                raw("s", "executed 3 times"),
                raw("s", "parse error somewhere"),
                raw("s", "duration: 1.000 ms  fastpath function call: function 123"));
        assertTrue(out.stream().allMatch(e -> e.phase() == null), out.toString());
        assertEquals(1.0, out.get(3).durationMs());
    }

    @Test
    void theSessionsOrderIsKept() {
        run(raw("s", "duration: 1.000 ms  statement: SELECT 1"),
                raw("s", "temporary file: path \"base/pgsql_tmp/pgsql_tmp1.0\", size 1024"),
                raw("s", "duration: 2.000 ms  statement: SELECT 2"));
        assertEquals(List.of("SELECT 1", "temporary file: path \"base/pgsql_tmp/pgsql_tmp1.0\", size 1024", "SELECT 2"),
                out.stream().map(e -> e.statement() != null ? e.statement() : e.message()).toList());
    }

    @Test
    void heldStateIsBoundedAndNothingIsLost() {
        interpreter = new StatementInterpreter(out::add, 3, 10, 3600);
        for (int i = 0; i < 1000; i++) {
            interpreter.accept(raw("s" + i, "statement: SELECT " + i));
            assertTrue(interpreter.pendingSessions() <= 3);
        }
        interpreter.finish();
        assertEquals(1000, out.size());
        assertEquals(0, interpreter.pendingSessions());
    }

    @Test
    void aPlanArrivingAfterItsExecutionWasReleasedEarlyIsNotCountedAgain() {
        interpreter = new StatementInterpreter(out::add, 1, 10, 3600);
        run(raw("a", "duration: 1.000 ms  execute <unnamed>: SELECT * FROM t WHERE id = $1"),
                raw("b", "duration: 2.000 ms  statement: SELECT 2"),
                raw("a", "duration: 0.900 ms  plan:\n" + PLAN_Q));
        List<LogEntry> a = out.stream().filter(e -> "SELECT * FROM t WHERE id = $1".equals(e.statement())).toList();
        assertEquals(2, a.size());
        assertTrue(a.get(0).isExecution());
        assertEquals(1.0, a.get(0).durationMs());
        assertFalse(a.get(1).isExecution(), "the plan travels on, uncounted");
        assertTrue(a.get(1).plan().startsWith("Index Scan"));
    }

    @Test
    void heldStateIsReleasedAfterSomeSecondsOfLogTime() {
        interpreter.accept(raw("a", 0, "duration: 1.000 ms  statement: SELECT 1"));
        interpreter.accept(raw("b", 5, "connection received: host=x"));
        assertEquals(1, out.size());
        interpreter.accept(raw("b", 11, "connection authorized: user=u"));
        assertEquals(3, out.size());
        assertEquals("SELECT 1", out.get(1).statement());
        assertEquals(0, interpreter.pendingSessions());
    }

    @Test
    void aLongStatementStillGetsItsBareDuration() {
        interpreter.accept(raw("a", 0, "statement: SELECT 0"));
        interpreter.accept(raw("a", 0, "duration: 1.000 ms"));
        interpreter.accept(raw("a", 1, "statement: SELECT pg_sleep(600)"));
        interpreter.accept(raw("b", 300, "connection received: host=x"));
        interpreter.accept(raw("a", 601, "duration: 600000.000 ms"));
        interpreter.finish();
        assertEquals(600000.0, find("SELECT pg_sleep(600)").durationMs());
    }

    @Test
    void entriesWithoutSessionIdAreKeyedByPid() {
        run(LogEntry.builder().pid(7).severity(Severity.LOG).message("statement: SELECT 'p7'"),
                LogEntry.builder().pid(8).severity(Severity.LOG).message("statement: SELECT 'p8'"),
                LogEntry.builder().pid(7).severity(Severity.LOG).message("duration: 9.000 ms"));
        assertEquals(9.0, find("SELECT 'p7'").durationMs());
        assertFalse(find("SELECT 'p8'").hasDuration());
    }

    private LogEntry find(String statement) {
        List<LogEntry> found = out.stream().filter(e -> statement.equals(e.statement())).toList();
        assertEquals(1, found.size(), () -> statement + " in " + out);
        return found.get(0);
    }
}
