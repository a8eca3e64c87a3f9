package dev.pgsleuth.testing;

import dev.pgsleuth.testing.SampleWorkload.ExpectedStatement;
import dev.pgsleuth.testing.SampleWorkload.Logged;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the workload once and compares its declared counts with plain text searches of the
 * log, the way {@code grep -c} would: a log analyzer that disagrees with these is wrong.
 */
class SampleWorkloadTest {

    private static RealPostgres pg;
    private static final SampleWorkload workload = new SampleWorkload();
    private static List<String> stderr;
    private static List<String> json;

    @BeforeAll
    static void runWorkload() throws Exception {
        pg = RealPostgres.builder().logName("workload-test").start();
        long t0 = System.nanoTime();
        workload.run(pg);
        pg.awaitLogged();
        System.out.println("workload took " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        stderr = Files.readAllLines(pg.stderrLog());
        json = Files.readAllLines(pg.jsonLog());
    }

    @AfterAll
    static void stop() {
        pg.close();
    }

    @Test
    void everyStatementIsLoggedAsOftenAsDeclared() {
        List<String> mismatches = new ArrayList<>();
        for (ExpectedStatement e : workload.expectedStatements()) {
            long found = SampleWorkload.grepCount(stderr, e);
            if (found != e.executions()) {
                mismatches.add(e.name() + ": declared " + e.executions() + ", logged " + found);
            }
        }
        assertEquals(List.of(), mismatches);
    }

    @Test
    void jsonLogHasTheSameSuccessfulExecutions() {
        for (ExpectedStatement e : workload.expectedStatements()) {
            if (e.logged() != Logged.ERROR) {
                assertEquals(e.executions(), SampleWorkload.grepCount(json, e), e.name());
            }
        }
    }

    @Test
    void grepTextsAreDistinct() {
        for (ExpectedStatement a : workload.expectedStatements()) {
            for (ExpectedStatement b : workload.expectedStatements()) {
                if (a != b && a.logged() == b.logged()) {
                    assertTrue(!firstLine(b.sql()).contains(a.grepText()), a.name() + " also matches " + b.name());
                }
            }
        }
    }

    @Test
    void preparedStatementsSwitchFromUnnamedToNamedAfterFiveExecutions() {
        String text = workload.expected("order-by-id").grepText();
        assertEquals(4, count(stderr, "  execute <unnamed>: ", text));
        assertEquals(4, stderr.stream().filter(l -> l.matches(".*  execute S_\\d+: .*") && l.contains(text)).count());
        String child = workload.expected("n-plus-one-child").grepText();
        assertEquals(SampleWorkload.N_PLUS_ONE_ROWS - 4,
                stderr.stream().filter(l -> l.matches(".*  execute S_\\d+: .*") && l.contains(child)).count());
    }

    @Test
    void connectionsAndDisconnectionsOfTheWorkloadDatabase() {
        int n = workload.expectedConnections();
        assertEquals(n, count(stderr, "connection authorized: user=postgres database=shop", ""));
        assertEquals(n, count(stderr, "@shop/", "LOG:  disconnection: session time:"));
    }

    @Test
    void awkwardBindValueIsLoggedQuotedAcrossTwoLines() {
        int i = indexOf(stderr, "DETAIL:  Parameters: $1 = '1001', $2 = 'Mug, \"large\" ''blue''");
        assertTrue(i >= 0, "parameters line not found");
        assertEquals("\tsecond line', $3 = '12.50', $4 = '40'", stderr.get(i + 1));
    }

    @Test
    void multiLineStatementContinuesWithTabs() {
        int i = indexOf(stderr, "statement: SELECT c.country,");
        assertTrue(i >= 0);
        assertEquals("\t\tcount(*) AS orders,", stderr.get(i + 1));
        assertEquals("\tFROM orders o", stderr.get(i + 3));
    }

    @Test
    void errorsAutoExplainTempFileAndLockWaitAreLogged() {
        assertEquals(1, count(stderr, "ERROR:  division by zero", ""));
        assertEquals(1, count(stderr, "ERROR:  duplicate key value violates unique constraint \"customers_email_key\"", ""));
        assertEquals(1, count(stderr, "DETAIL:  Key (email)=(customer1@example.com) already exists.", ""));
        assertEquals(2, count(stderr, "  plan:", ""));
        assertEquals(1, count(stderr, "\tQuery Text: SELECT p.id, p.name, sum(i.quantity * i.unit_price)", ""));
        assertEquals(1, count(stderr, "\t  \"Query Text\": \"SELECT o.customer_id, count(*)", ""));
        assertTrue(count(stderr, "LOG:  temporary file: path ", "") >= 1);
        assertEquals(1, count(stderr, "still waiting for ShareLock on transaction", ""));
        assertEquals(1, count(stderr, "acquired ShareLock on transaction", ""));
        assertTrue(count(stderr, "LOG:  checkpoint complete:", "") >= 1);
    }

    private static long count(List<String> lines, String a, String b) {
        return lines.stream().filter(l -> l.contains(a) && l.contains(b)).count();
    }

    private static int indexOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }

    private static String firstLine(String sql) {
        int nl = sql.indexOf('\n');
        return nl < 0 ? sql : sql.substring(0, nl);
    }
}
