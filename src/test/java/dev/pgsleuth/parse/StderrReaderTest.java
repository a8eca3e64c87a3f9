package dev.pgsleuth.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgsleuth.model.LogEntry;
import dev.pgsleuth.model.Severity;
import dev.pgsleuth.model.StatementPhase;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class StderrReaderTest {
    private final UnparsedLines unparsed = new UnparsedLines();

    private List<LogEntry> read(String prefix, String text) throws IOException {
        return read(new StderrReader(prefix), new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    private List<LogEntry> read(StderrReader reader, InputStream in) throws IOException {
        List<LogEntry> out = new ArrayList<>();
        reader.read(in, "test.log", b -> out.add(b.build()), unparsed);
        return out;
    }

    @Test
    void multiLineStatementWithNewlinesInsideStringLiterals() throws IOException {
        String log = """
                2024-01-01 10:00:00.000 UTC [10] LOG:  duration: 1.500 ms  statement: SELECT 'a
                \tb', x
                \tFROM t
                \t
                \tWHERE y = 1
                2024-01-01 10:00:00.100 UTC [10] LOG:  duration: 0.100 ms  statement: SELECT 2
                """;
        List<LogEntry> entries = read("%m [%p] ", log);
        assertEquals(2, entries.size());
        assertEquals("duration: 1.500 ms  statement: SELECT 'a\nb', x\nFROM t\n\nWHERE y = 1", entries.get(0).message());
        // a message of several lines is left to the interpreter; a one-line one is classified
        assertNull(entries.get(0).statement());
        assertNull(entries.get(0).phase());
        assertEquals("SELECT 2", entries.get(1).statement());
        assertEquals(StatementPhase.SIMPLE, entries.get(1).phase());
        assertEquals(0.1, entries.get(1).durationMs(), 1e-9);
        assertEquals(1, entries.get(0).position().line());
        assertEquals(0, entries.get(0).position().offset());
        assertEquals(6, entries.get(1).position().line());
        assertEquals(0, unparsed.count());
    }

    /**
     * Lines found to be ASCII are copied without the UTF-8 decoder: a multi-byte character at any
     * place of a message or continuation line (in the eight-byte steps of the line search or in its
     * tail) still decodes as such, on one thread and in blocks parsed by workers.
     */
    @Test
    void textOutsideAsciiDecodesWhereverItFalls() throws IOException {
        List<String> messages = new ArrayList<>();
        StringBuilder log = new StringBuilder();
        String[] odd = {"é", "Šimić", "日本", "🐘"};
        for (int at = 0; at < 40; at++) {
            String message = "statement: SELECT '" + "x".repeat(at) + odd[at % odd.length] + "'";
            String plain = "statement: SELECT '" + "y".repeat(at) + "'";
            String continued = "statement: SELECT 1\n" + "z".repeat(at) + odd[(at + 1) % odd.length] + " AS n";
            for (String m : List.of(message, plain, continued)) {
                messages.add(m);
                log.append("2024-01-01 10:00:00.000 UTC [7] LOG:  ").append(m.replace("\n", "\n\t")).append('\n');
            }
        }
        byte[] bytes = log.toString().getBytes(StandardCharsets.UTF_8);
        assertEquals(messages, read(new StderrReader("%m [%p] "), new ByteArrayInputStream(bytes)).stream()
                .map(LogEntry::message).toList(), "one thread");
        ExecutorService workers = Executors.newFixedThreadPool(2);
        try {
            List<String> inBlocks = new ArrayList<>();
            new StderrReader("%m [%p] ", LineReader.DEFAULT_MAX_LINE, 333).read(new ByteArrayInputStream(bytes),
                    "test.log", b -> inBlocks.add(b.build().message()), unparsed, workers);
            assertEquals(messages, inBlocks, "blocks on workers");
        } finally {
            workers.shutdownNow();
        }
        assertEquals(0, unparsed.count());
    }

    @Test
    void continuationLinesOfAnUnreadLineAreNotGluedToTheEntryBefore() throws IOException {
        // found by ReaderFuzzTest; also what a change of log_line_prefix in mid-file looks like
        String log = """
                2024-01-01 10:00:00.000 UTC [10] LOG:  duration: 1.500 ms  statement: SELECT 1
                2024-01-01 10:00:00.100 UTC [11] automatic vacuum of table "db.public.t": index scans: 1
                	pages: 0 removed, 89 remain
                	tuples: 10001 removed
                2024-01-01 10:00:00.200 UTC [10] LOG:  duration: 0.100 ms  statement: SELECT 2
                """;
        List<LogEntry> entries = read("%m [%p] ", log);
        assertEquals(List.of("duration: 1.500 ms  statement: SELECT 1", "duration: 0.100 ms  statement: SELECT 2"),
                entries.stream().map(LogEntry::message).toList());
        assertEquals(3, unparsed.count(), unparsed.samples().toString());
    }

    @Test
    void theBindValuesOfAOneLineDetailAreReadWithTheirStatement() throws IOException {
        String log = """
                2024-01-01 10:00:00.001 UTC [2] LOG:  duration: 5.000 ms  execute <unnamed>: SELECT $1, $2
                2024-01-01 10:00:00.002 UTC [2] DETAIL:  Parameters: $1 = 'a, b', $2 = NULL
                2024-01-01 10:00:00.003 UTC [2] LOG:  checkpoint starting: time
                2024-01-01 10:00:00.004 UTC [2] DETAIL:  Parameters: $1 = 'not a statement'
                """;
        List<LogEntry> entries = read("%m [%p] ", log);
        assertEquals(Arrays.asList("a, b", null), entries.get(0).parameters());
        assertEquals(List.of(), entries.get(1).parameters());
    }

    @Test
    void siblingsAttachToTheirOwnProcessWhenProcessesInterleave() throws IOException {
        String log = """
                2024-01-01 10:00:00.000 UTC [1] ERROR:  duplicate key value violates unique constraint "u"
                2024-01-01 10:00:00.001 UTC [2] LOG:  duration: 5.000 ms  execute S_1: SELECT * FROM a WHERE id = $1
                2024-01-01 10:00:00.002 UTC [1] DETAIL:  Key (id)=(1) already exists.
                2024-01-01 10:00:00.003 UTC [2] DETAIL:  Parameters: $1 = 'x
                \ty'
                2024-01-01 10:00:00.004 UTC [1] STATEMENT:  INSERT INTO u VALUES (1,
                \t2)
                2024-01-01 10:00:00.005 UTC [1] HINT:  a hint
                2024-01-01 10:00:00.006 UTC [1] CONTEXT:  a context
                2024-01-01 10:00:00.007 UTC [1] QUERY:  an internal query
                2024-01-01 10:00:00.008 UTC [1] LOCATION:  _bt_check_unique, nbtinsert.c:666
                2024-01-01 10:00:00.009 UTC [2] LOG:  next
                2024-01-01 10:00:00.010 UTC [1] LOG:  after
                """;
        List<LogEntry> entries = read("%m [%p] ", log);
        assertEquals(4, entries.size());
        LogEntry error = entries.get(0);
        assertEquals(1, error.pid());
        assertEquals(Severity.ERROR, error.severity());
        assertEquals("Key (id)=(1) already exists.", error.detail());
        assertEquals("INSERT INTO u VALUES (1,\n2)", error.statement());
        assertEquals("a hint", error.hint());
        assertEquals("a context", error.context());
        assertEquals("an internal query", error.internalQuery());
        LogEntry execute = entries.get(1);
        assertEquals(2, execute.pid());
        assertEquals("Parameters: $1 = 'x\ny'", execute.detail());
        // the reader classified the one-line message; the interpreter takes it from there
        assertEquals("SELECT * FROM a WHERE id = $1", execute.statement());
        assertEquals(StatementPhase.EXECUTE, execute.phase());
        assertEquals("S_1", execute.preparedName());
        // a DETAIL of several lines is left to the interpreter too
        assertEquals(List.of(), execute.parameters());
        assertEquals("next", entries.get(2).message());
        assertEquals("after", entries.get(3).message());
        assertEquals(0, unparsed.count());
    }

    @Test
    void entriesLeaveInInputOrderEvenWhenAProcessFallsSilent() throws IOException {
        StringBuilder log = new StringBuilder("2024-01-01 10:00:00.000 UTC [99] LOG:  first\n");
        for (int i = 0; i < 600; i++) {
            log.append("2024-01-01 10:00:01.000 UTC [").append(100 + i % 3).append("] LOG:  n").append(i).append('\n');
        }
        List<LogEntry> entries = read("%m [%p] ", log.toString());
        assertEquals(601, entries.size());
        assertEquals("first", entries.get(0).message());
        for (int i = 0; i < 600; i++) {
            assertEquals("n" + i, entries.get(i + 1).message());
        }
    }

    @Test
    void sessionIdGroupsSiblingsWhenThePrefixHasIt() throws IOException {
        String log = """
                2020-03-03 10:00:00 UTC-5e5f2a3b.1234-ERROR:  syntax error at or near "SELEC" at character 1
                2020-03-03 10:00:00 UTC-5e5f2a3c.99-LOG:  connection received
                2020-03-03 10:00:00 UTC-5e5f2a3b.1234-STATEMENT:  SELEC 1
                """;
        List<LogEntry> entries = read("%t-%c-", log);
        assertEquals(2, entries.size());
        assertEquals("SELEC 1", entries.get(0).statement());
        assertEquals("5e5f2a3b.1234", entries.get(0).sessionKey());
        assertNull(entries.get(1).statement());
    }

    @Test
    void foreignLinesAndOrphansAreCountedAndSkipped() throws IOException {
        String log = """
                \tcontinuation before anything
                2024-01-01 10:00:00.000 UTC [3] DETAIL:  detail without its message
                pg_ctl: could not start server

                2024-01-01 10:00:00.000 UTC [3] LOG:  fine
                """;
        List<LogEntry> entries = read("%m [%p] ", log);
        assertEquals(1, entries.size());
        assertEquals("fine", entries.get(0).message());
        assertEquals(3, unparsed.count());
        assertTrue(unparsed.samples().get(2).equals("test.log:3: pg_ctl: could not start server"),
                unparsed.samples().toString());
    }

    @Test
    void invalidUtf8IsReplacedNotFatal() throws IOException {
        byte[] head = "2024-01-01 10:00:00.000 UTC [3] LOG:  statement: SELECT '".getBytes(StandardCharsets.UTF_8);
        byte[] bad = {(byte) 0xe9, (byte) 0xff, (byte) 0xc3};
        byte[] tail = "'\n".getBytes(StandardCharsets.UTF_8);
        byte[] all = concat(head, bad, tail, new byte[] {(byte) 0xff, (byte) 0xfe, '\n'});
        List<LogEntry> entries = read(new StderrReader("%m [%p] "), new ByteArrayInputStream(all));
        assertEquals(1, entries.size());
        assertTrue(entries.get(0).message().startsWith("statement: SELECT '\uFFFD"));
        assertEquals(1, unparsed.count());
    }

    @Test
    void binaryAndNulFilledInputNeverThrows() throws IOException {
        byte[] random = new byte[300_000];
        new Random(42).nextBytes(random);
        List<LogEntry> none = read(new StderrReader("%m [%p] "), new ByteArrayInputStream(random));
        assertEquals(0, none.size());
        assertTrue(unparsed.count() > 0);

        UnparsedLines nul = new UnparsedLines();
        byte[] crash = concat(new byte[100_000],
                "2024-01-01 10:00:00.000 UTC [3] LOG:  after the crash\n".getBytes(StandardCharsets.UTF_8));
        List<LogEntry> out = new ArrayList<>();
        new StderrReader("%m [%p] ").read(new ByteArrayInputStream(crash), "crash.log", b -> out.add(b.build()), nul);
        assertEquals(1, out.size());
        assertEquals("after the crash", out.get(0).message());
        assertEquals(0, nul.count());

        UnparsedLines nulOnly = new UnparsedLines();
        byte[] zeros = new byte[5000];
        zeros[2500] = '\n';
        new StderrReader("%m [%p] ").read(new ByteArrayInputStream(zeros), "zeros.log", b -> { }, nulOnly);
        assertEquals(2, nulOnly.count());
        assertTrue(nulOnly.samples().get(0).contains("NUL bytes"));
    }

    @Test
    void anEndlessLineIsCutCountedAndTheNextLinesRead() throws IOException {
        byte[] endless = new byte[50_000];
        Arrays.fill(endless, (byte) 'x');
        byte[] all = concat("2024-01-01 10:00:00.000 UTC [3] LOG:  before\n".getBytes(StandardCharsets.UTF_8), endless,
                "\n2024-01-01 10:00:00.000 UTC [3] LOG:  after\n".getBytes(StandardCharsets.UTF_8), endless);
        List<LogEntry> entries = read(new StderrReader("%m [%p] ", 10_000), new ByteArrayInputStream(all));
        assertEquals(List.of("before", "after"), entries.stream().map(LogEntry::message).toList());
        assertEquals(2, unparsed.count());
        assertTrue(unparsed.samples().get(0).startsWith("test.log:2: line longer than 10000 bytes: xxx"));
        assertEquals(45 + endless.length + 1, entries.get(1).position().offset());
        assertEquals(3, entries.get(1).position().line());
    }

    @Test
    void crlfLineEndsAndAnInferredPrefix() throws IOException {
        String log = "2024-01-01 10:00:00 UTC [7]: [1-1] user=a,db=b LOG:  x\r\n\tmore\r\n";
        StderrReader reader = new StderrReader(null);
        List<LogEntry> entries = read(reader, new ByteArrayInputStream(log.getBytes(StandardCharsets.UTF_8)));
        assertEquals("%t [%p]: [%l-1] user=%u,db=%d ", reader.prefix());
        assertEquals("x\nmore", entries.get(0).message());
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] all = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }
}
