package dev.pgsleuth.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgsleuth.config.AnalysisSettings;
import dev.pgsleuth.normalize.SqlNormalizer;
import dev.pgsleuth.report.Report;
import dev.pgsleuth.testing.PgbenchRun;
import dev.pgsleuth.testing.RealPostgres;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A real pgbench run in extended protocol, logged by a real server: per-shape execution counts
 * equal the counts known from the client side (pgbench sends each of its 7 statements once per
 * transaction; the fixture checks that against a grep of the execute lines), in all three formats.
 */
class PgbenchAnalysisTest {
    private static final int CLIENTS = 2;
    private static final int TRANSACTIONS = 150;
    private static RealPostgres pg;
    private static PgbenchRun.Result run;

    @BeforeAll
    static void runPgbench() throws Exception {
        assertTrue(PgbenchRun.available(), "pgbench is not installed at " + PgbenchRun.PGBENCH);
        pg = RealPostgres.builder().logName("pgbench-analysis").start();
        run = PgbenchRun.run(pg, CLIENTS, TRANSACTIONS);
    }

    @AfterAll
    static void stop() {
        if (pg != null) {
            pg.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"stderr", "csvlog", "jsonlog"})
    void executionsPerShapeEqualTheClientSideCounts(String format) {
        Path log = switch (format) {
            case "stderr" -> run.stderrLog();
            case "csvlog" -> run.csvLog();
            default -> run.jsonLog();
        };
        Report report = AnalysisFixtures.analyze(AnalysisSettings.defaults(), log);
        assertEquals(format, report.input().sources().get(0).format());
        assertEquals(0, report.input().unparsedLines(), () -> String.join("\n", report.input().unparsedSamples()));

        Map<String, Long> counted = new HashMap<>();
        report.queries().forEach(q -> counted.put(q.fingerprint(), q.count()));
        SqlNormalizer normalizer = new SqlNormalizer();
        long expectedTotal = 0;
        for (Map.Entry<String, Integer> e : run.expectedExecutions().entrySet()) {
            String fingerprint = normalizer.normalize(e.getKey()).fingerprint();
            assertEquals(e.getValue().longValue(), counted.getOrDefault(fingerprint, 0L), e.getKey());
            expectedTotal += e.getValue();
        }
        // Nothing else ran in the benchmark file but pgbench's session set-up statements.
        assertTrue(report.input().statements() >= expectedTotal);
        assertTrue(report.input().statements() - expectedTotal <= 10L * CLIENTS,
                () -> "unexpected statements: " + report.queries());
    }
}
