package dev.pgsleuth.testing;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PgbenchRunTest {

    private static final int CLIENTS = 2;
    private static final int TRANSACTIONS = 200;
    private static RealPostgres pg;
    private static PgbenchRun.Result result;

    @BeforeAll
    static void run() throws Exception {
        assertTrue(PgbenchRun.available(), "pgbench is not installed at " + PgbenchRun.PGBENCH);
        pg = RealPostgres.builder().logName("pgbench").start();
        long t0 = System.nanoTime();
        result = PgbenchRun.run(pg, CLIENTS, TRANSACTIONS);
        System.out.println("pgbench run took " + (System.nanoTime() - t0) / 1_000_000 + " ms\n" + result.output());
    }

    @AfterAll
    static void stop() {
        pg.close();
    }

    @Test
    void pgbenchCompletedEveryTransaction() {
        assertEquals(CLIENTS * TRANSACTIONS, result.transactionsProcessed());
        assertEquals(PgbenchRun.TPCB_STATEMENTS.size(), result.expectedExecutions().size());
        result.expectedExecutions().values().forEach(n -> assertEquals(CLIENTS * TRANSACTIONS, n));
    }

    @Test
    void grepOfExecuteLinesMatchesTheClientSideCount() throws Exception {
        List<String> lines = Files.readAllLines(result.stderrLog());
        for (Map.Entry<String, Integer> e : result.expectedExecutions().entrySet()) {
            long found = lines.stream()
                    .filter(l -> l.contains("  execute <unnamed>: ") && l.endsWith(": " + e.getKey()))
                    .count();
            assertEquals(e.getValue().longValue(), found, e.getKey());
        }
        long allExecutes = lines.stream().filter(l -> l.contains("  execute ")).count();
        assertEquals(PgbenchRun.TPCB_STATEMENTS.size() * CLIENTS * TRANSACTIONS, allExecutes);
    }

    @Test
    void jsonLogHasTheSameExecutions() throws Exception {
        List<String> lines = Files.readAllLines(result.jsonLog());
        String update = "execute <unnamed>: UPDATE pgbench_tellers SET tbalance = tbalance + $1 WHERE tid = $2;";
        assertEquals(CLIENTS * TRANSACTIONS, lines.stream().filter(l -> l.contains(update)).count());
    }

    @Test
    void resultFilesHoldOnlyTheRunNotTheInitialization() throws Exception {
        String stderr = Files.readString(result.stderrLog());
        assertFalse(stderr.contains("CREATE TABLE") || stderr.contains("create table"), "init is in the run's log");
        assertTrue(stderr.contains("database=pgbench application_name=pgbench"));
        long connections = stderr.lines().filter(l -> l.contains("connection authorized: user=postgres database=pgbench")).count();
        long disconnections = stderr.lines().filter(l -> l.contains("disconnection:") && l.contains("database=pgbench")).count();
        assertTrue(connections >= CLIENTS, "connections: " + connections);
        assertEquals(connections, disconnections);
    }
}
