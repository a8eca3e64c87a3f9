package dev.pgsleuth.testing;

import dev.pgsleuth.testing.SampleWorkload.ExpectedStatement;
import dev.pgsleuth.testing.SampleWorkload.Logged;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shipped {@code sample-logs/} still match what {@link SampleWorkload} declares. */
class SampleLogsTest {

    private static final Path DIR = Path.of("sample-logs");
    private final SampleWorkload workload = new SampleWorkload();

    @Test
    void shippedStderrLogHasEveryDeclaredExecution() throws Exception {
        List<String> lines = Files.readAllLines(DIR.resolve("postgresql.log"));
        List<String> mismatches = new ArrayList<>();
        for (ExpectedStatement e : workload.expectedStatements()) {
            long found = SampleWorkload.grepCount(lines, e);
            if (found != e.executions()) {
                mismatches.add(e.name() + ": declared " + e.executions() + ", shipped log has " + found);
            }
        }
        assertEquals(List.of(), mismatches);
        assertTrue(lines.get(0).contains("LOG:  starting PostgreSQL 17."), lines.get(0));
        assertTrue(lines.get(lines.size() - 1).endsWith("LOG:  database system is shut down"));
    }

    @Test
    void shippedJsonLogHasEverySuccessfulExecution() throws Exception {
        List<String> lines = Files.readAllLines(DIR.resolve("postgresql.json"));
        for (ExpectedStatement e : workload.expectedStatements()) {
            if (e.logged() != Logged.ERROR) {
                assertEquals(e.executions(), SampleWorkload.grepCount(lines, e), e.name());
            }
        }
        assertTrue(lines.stream().allMatch(l -> l.startsWith("{\"timestamp\":\"") && l.endsWith("}")));
    }

    @Test
    void shippedCsvLogHoldsTheSameSessionsAndStaysSmall() throws Exception {
        String csv = Files.readString(DIR.resolve("postgresql.csv"));
        for (String app : List.of(SampleWorkload.APP_SETUP, SampleWorkload.APP_WEB, SampleWorkload.APP_WORKER_B)) {
            assertTrue(csv.contains(",\"" + app + "\","), app);
        }
        for (String name : List.of("postgresql.log", "postgresql.csv", "postgresql.json")) {
            assertTrue(Files.size(DIR.resolve(name)) < 200_000, name + " is no longer small");
        }
    }
}
