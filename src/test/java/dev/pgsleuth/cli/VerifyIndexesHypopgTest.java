package dev.pgsleuth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pgsleuth.testing.HypopgServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code analyze --db} on a PostgreSQL with hypopg (see {@link HypopgServer}): the index advice of
 * the report is checked with a hypothetical index, by default, and says so.
 */
class VerifyIndexesHypopgTest {

    @TempDir
    Path dir;

    private static HypopgServer pg;

    @BeforeEach
    void server() {
        pg = HypopgServer.require();
    }

    @Test
    void theDefaultChecksEachSuggestedIndexWithHypopg() throws Exception {
        Path log = dir.resolve("postgresql.log");
        Files.writeString(log, """
                2024-05-01 10:00:00.123 UTC [4242] app@shop LOG:  duration: 85.123 ms  execute <unnamed>: SELECT * FROM hypo_orders WHERE customer_email = $1
                2024-05-01 10:00:00.123 UTC [4242] app@shop DETAIL:  parameters: $1 = 'c42@example.com'
                2024-05-01 10:00:01.456 UTC [4242] app@shop LOG:  duration: 91.456 ms  execute <unnamed>: SELECT * FROM hypo_orders WHERE customer_email = $1
                2024-05-01 10:00:01.456 UTC [4242] app@shop DETAIL:  parameters: $1 = 'c7@example.com'
                """);
        String rowsBefore = pg.checksum("hypo_orders");
        for (String verify : new String[] {"--verify-indexes=none", "--verify-indexes=hypopg"}) {
            AnalyzeCommandTest.Run run = AnalyzeCommandTest.run("analyze", "--format", "json", "--log-format", "stderr",
                    "--prefix", "%m [%p] %q%u@%d ", "--db", pg.uri(), verify, log.toString());

            assertEquals(0, run.exit(), run.err());
            assertEquals("", run.err(), "hypopg is there: no warning");
            JsonNode report = run.json();
            JsonNode finding = null;
            for (JsonNode f : report.get("findings")) {
                if (f.get("rule").asText().equals("seq-scan-selective-filter")) {
                    finding = f;
                }
            }
            assertTrue(finding != null, report.toString());
            JsonNode check = finding.at("/evidence/index_check");
            assertEquals("hypopg", check.get("method").asText(), check.toString());
            assertTrue(check.get("used").asBoolean(), check.toString());
            assertTrue(check.get("cost_after").asDouble() * 10 < check.get("cost_before").asDouble(), check.toString());
            assertTrue(finding.at("/evidence/indexVerified").asBoolean());
            assertEquals("high", finding.get("severity").asText());
            assertTrue(finding.get("message").asText().contains("Verified with a hypothetical index (hypopg): the planner "
                    + "uses the index, estimated cost "), finding.get("message").asText());
            assertTrue(finding.at("/suggestion/sql").asText().startsWith("CREATE INDEX CONCURRENTLY hypo_orders_customer_email_idx"));
        }
        assertEquals(rowsBefore, pg.checksum("hypo_orders"));
    }
}
