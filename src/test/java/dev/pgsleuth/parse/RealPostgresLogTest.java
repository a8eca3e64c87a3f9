package dev.pgsleuth.parse;

import static dev.pgsleuth.parse.RealLogCapture.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgsleuth.model.LogEntry;
import dev.pgsleuth.model.Severity;
import dev.pgsleuth.model.StatementPhase;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reads the csvlog and jsonlog a real PostgreSQL 17 wrote while a JDBC client ran a known
 * workload, and checks the interpreted entries against what the client ran.
 */
class RealPostgresLogTest {

    /** Interpreted entries of one captured file, plus the reader's and interpreter's counters. */
    record Interpreted(List<LogEntry> entries, UnparsedLines unparsed, long ownDropped, long lines, int raw,
            long jsonLines) {
        List<LogEntry> of(String app) {
            return entries.stream().filter(e -> app.equals(e.application())).toList();
        }

        List<LogEntry> executions(String app, String statement) {
            return of(app).stream().filter(e -> e.isExecution() && statement.equals(e.statement())).toList();
        }
    }

    /**
     * {@code csv} / {@code json} read from a server started now; {@code stored-csv} / {@code stored-json}
     * from the copy of an earlier run of the same workload kept in the test resources.
     */
    static Interpreted interpret(String format) throws IOException {
        Path file;
        if (format.startsWith("stored-")) {
            format = format.substring(7);
            try {
                file = Path.of(RealPostgresLogTest.class.getResource("/captured/pg17-jdbc-workload." + format).toURI());
            } catch (java.net.URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        } else {
            RealLogCapture.Captured c = RealLogCapture.get();
            file = format.equals("csv") ? c.csvlog() : c.jsonlog();
        }
        FormatReader reader = format.equals("csv") ? new CsvLogReader() : new JsonLogReader();
        List<LogEntry> out = new ArrayList<>();
        StatementInterpreter interpreter = new StatementInterpreter(out::add);
        UnparsedLines unparsed = new UnparsedLines();
        long lines;
        int[] raw = {0};
        try (InputStream in = Files.newInputStream(file)) {
            lines = reader.read(in, file.toString(), b -> {
                raw[0]++;
                interpreter.accept(b);
            }, unparsed);
        }
        interpreter.finish();
        Path json = file.resolveSibling(file.getFileName().toString().replaceAll("\\.csv$", ".json"));
        long jsonLines;
        try (var stream = Files.lines(json)) {
            jsonLines = stream.count();
        }
        return new Interpreted(out, unparsed, interpreter.ownStatementsDropped(), lines, raw[0], jsonLines);
    }

    @ParameterizedTest
    @ValueSource(strings = {"csv", "json", "stored-csv", "stored-json"})
    void everyRecordIsRead(String format) throws IOException {
        Interpreted r = interpret(format);
        assertEquals(0, r.unparsed().count(), () -> r.unparsed().samples().toString());
        long records = r.jsonLines();
        assertEquals(records, r.raw(), "one raw entry per record (jsonlog has one per line)");
        if (format.endsWith("json")) {
            assertEquals(records, r.lines());
        } else {
            assertTrue(r.lines() > records, "csv records span several physical lines");
        }
        for (LogEntry e : r.entries()) {
            assertNotNull(e.timestamp(), () -> "timestamp of " + e);
            assertNotNull(e.severity(), () -> "severity of " + e);
            assertTrue(e.pid() > 0, () -> "pid of " + e);
            assertNotNull(e.sessionId());
            assertTrue(e.sessionLine() > 0);
            assertEquals(0, e.timestamp().getOffset().getTotalSeconds(), "the server logs in UTC");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"csv", "json", "stored-csv", "stored-json"})
    void extendedProtocolInsertsAreCountedOnceWithParametersAndPlan(String format) throws IOException {
        Interpreted r = interpret(format);
        List<LogEntry> inserts = r.executions(APP_EXT, INSERT);
        assertEquals(INSERTED, inserts.size());
        for (int i = 0; i < INSERTED; i++) {
            LogEntry e = inserts.get(i);
            int id = i + 1;
            assertEquals(StatementPhase.EXECUTE, e.phase());
            assertTrue(e.hasDuration() && e.durationMs() > 0);
            String note = id == 3 ? TRICKY_NOTE : id == 4 ? null : "note" + id;
            assertEquals(Arrays.asList(String.valueOf(id), "name" + id, note), e.parameters());
            // pgjdbc names the server-side statement from the 5th execution on (prepareThreshold)
            if (id < 5) {
                assertNull(e.preparedName());
            } else {
                assertNotNull(e.preparedName());
                assertTrue(e.preparedName().startsWith("S_"), e.preparedName());
            }
            assertNotNull(e.plan(), "auto_explain logged a plan before the execute line");
            assertTrue(e.plan().startsWith("Insert on items"), e.plan());
            assertFalse(e.plan().contains("Query Text"));
        }
        List<LogEntry> binds = r.of(APP_EXT).stream()
                .filter(e -> e.phase() == StatementPhase.BIND && INSERT.equals(e.statement())).toList();
        assertEquals(INSERTED, binds.size());
        assertEquals(Arrays.asList("3", "name3", TRICKY_NOTE), binds.get(2).parameters());
        assertFalse(binds.get(0).isExecution());
        long parses = r.of(APP_EXT).stream()
                .filter(e -> e.phase() == StatementPhase.PARSE && INSERT.equals(e.statement())).count();
        assertEquals(5, parses, "4 unnamed parses, then one for S_1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"csv", "json", "stored-csv", "stored-json"})
    void extendedProtocolSelectGetsThePlanLoggedAfterIt(String format) throws IOException {
        Interpreted r = interpret(format);
        List<LogEntry> selects = r.executions(APP_EXT, SELECT_BY_ID);
        assertEquals(SELECTED, selects.size());
        for (int i = 0; i < SELECTED; i++) {
            LogEntry e = selects.get(i);
            assertEquals(List.of(String.valueOf(i + 1)), e.parameters());
            assertNotNull(e.plan(), "plan of select " + (i + 1));
            assertTrue(e.plan().startsWith("Index Scan using items_pkey on items"), e.plan());
        }
        LogEntry multi = single(r.executions(APP_EXT, MULTILINE_EXT));
        assertEquals(StatementPhase.EXECUTE, multi.phase());
        assertTrue(multi.plan().startsWith("Sort  (cost="), multi.plan());
        assertEquals(List.of(), multi.parameters());

        LogEntry json = single(r.executions(APP_EXT, JSON_PLAN_QUERY));
        assertEquals(List.of("name%"), json.parameters());
        assertTrue(json.plan().startsWith("{") && json.plan().contains("\"Node Type\": \"Aggregate\""), json.plan());
    }

    @ParameterizedTest
    @ValueSource(strings = {"csv", "json", "stored-csv", "stored-json"})
    void noPlanIsLeftOverOrCountedTwice(String format) throws IOException {
        Interpreted r = interpret(format);
        for (String app : List.of(APP_EXT, APP_SIMPLE, APP_LOGSTMT, APP_LOGSTMT_EXT)) {
            for (LogEntry e : r.of(app)) {
                assertFalse(e.message() != null && e.message().contains("  plan:"),
                        () -> "plan entry not attached: " + e);
                assertFalse(e.statement() == null && e.hasDuration(), () -> "bare duration not joined: " + e);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"csv", "json", "stored-csv", "stored-json"})
    void simpleProtocolStatements(String format) throws IOException {
        Interpreted r = interpret(format);
        LogEntry count = single(r.executions(APP_SIMPLE, SIMPLE_COUNT));
        assertEquals(StatementPhase.SIMPLE, count.phase());
        assertNull(count.preparedName());
        assertTrue(count.plan().startsWith("Aggregate"), count.plan());
        LogEntry multi = single(r.executions(APP_SIMPLE, SIMPLE_MULTILINE));
        assertTrue(multi.hasDuration());
        assertTrue(multi.plan().startsWith("Result"), multi.plan());
    }

    @ParameterizedTest
    @ValueSource(strings = {"csv", "json", "stored-csv", "stored-json"})
    void errorsKeepTheirStatementButAreNoExecution(String format) throws IOException {
        Interpreted r = interpret(format);
        LogEntry ext = single(r.of(APP_EXT).stream().filter(e -> e.severity() == Severity.ERROR).toList());
        assertEquals(ERROR_EXT, ext.statement());
        assertEquals("42P01", ext.sqlState());
        assertNull(ext.phase());
        assertFalse(ext.isExecution());
        assertEquals("relation \"no_such_table\" does not exist", ext.message());
        LogEntry simple = single(r.of(APP_SIMPLE).stream().filter(e -> e.severity() == Severity.ERROR).toList());
        assertEquals(SIMPLE_ERROR, simple.statement());
        assertEquals("22012", simple.sqlState());
        assertNull(simple.phase());
    }

    @ParameterizedTest
    @ValueSource(strings = {"csv", "json", "stored-csv", "stored-json"})
    void logStatementLinesAreJoinedWithTheirDuration(String format) throws IOException {
        Interpreted r = interpret(format);
        LogEntry simple = single(r.executions(APP_LOGSTMT, LOGSTMT_SIMPLE));
        assertEquals(StatementPhase.SIMPLE, simple.phase());
        assertTrue(simple.hasDuration(), "duration from the separate `duration:` line");
        assertTrue(simple.plan().startsWith("Result"), simple.plan());

        List<LogEntry> ext = r.executions(APP_LOGSTMT_EXT, LOGSTMT_EXT);
        assertEquals(LOGSTMT_EXT_RUNS, ext.size());
        for (int i = 0; i < ext.size(); i++) {
            LogEntry e = ext.get(i);
            assertEquals(StatementPhase.EXECUTE, e.phase());
            assertTrue(e.hasDuration());
            assertEquals(List.of(String.valueOf(i + 1)), e.parameters());
            assertTrue(e.plan().startsWith("Result"), e.plan());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"csv", "json", "stored-csv", "stored-json"})
    void pgsleuthsOwnStatementsAreDropped(String format) throws IOException {
        Interpreted r = interpret(format);
        assertEquals(List.of(), r.of("pgsleuth"));
        assertTrue(r.entries().stream().noneMatch(e -> e.statement() != null && e.statement().contains("/* pgsleuth */")));
        // SET application_name, parse, bind, execute (with its plan); the session's disconnection
        // line is a fifth when the server had written it before the log was read.
        long dropped = r.ownDropped();
        assertTrue(dropped == 4 || dropped == 5, "dropped " + dropped);
    }

    /** jsonlog leaves out {@code state_code} when it is 00000; csvlog writes it. */
    @ParameterizedTest
    @ValueSource(strings = {"", "stored-"})
    void csvlogAndJsonlogGiveTheSameEntries(String source) throws IOException {
        List<String> csv = interpret(source + "csv").entries().stream().map(RealPostgresLogTest::comparable).toList();
        List<String> json = interpret(source + "json").entries().stream().map(RealPostgresLogTest::comparable).toList();
        assertEquals(csv.size(), json.size());
        for (int i = 0; i < csv.size(); i++) {
            assertEquals(csv.get(i), json.get(i), "entry " + i);
        }
    }

    private static String comparable(LogEntry e) {
        return Arrays.asList(e.timestamp(), e.pid(), e.sessionId(), e.sessionLine(), e.user(), e.database(),
                        e.application(), e.client(), e.severity(), "00000".equals(e.sqlState()) ? null : e.sqlState(), e.message(), e.detail(),
                        e.hint(), e.context(), e.internalQuery(), e.statement(), e.phase(), e.preparedName(),
                        e.durationMs(), e.parameters(), e.plan())
                .stream().map(o -> Objects.toString(o, "∅")).collect(Collectors.joining(" | "));
    }

    private static LogEntry single(List<LogEntry> list) {
        assertEquals(1, list.size(), () -> "expected one entry, got " + list);
        return list.get(0);
    }
}
