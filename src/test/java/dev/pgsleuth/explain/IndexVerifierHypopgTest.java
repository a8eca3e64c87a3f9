package dev.pgsleuth.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgsleuth.testing.HypopgServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hypothetical indexes on a real PostgreSQL 15 with hypopg (see {@link HypopgServer}): the planner's
 * answer decides, nothing is written, and nothing is left behind in the session.
 */
class IndexVerifierHypopgTest {

    private static final String BY_EMAIL = "SELECT * FROM hypo_orders WHERE customer_email = $1";
    private static final String EMAIL_INDEX =
            "CREATE INDEX CONCURRENTLY hypo_orders_customer_email_idx ON hypo_orders (customer_email);";

    private static HypopgServer pg;

    @BeforeEach
    void server() {
        pg = HypopgServer.require();
    }

    private static Explainer explainer() {
        return new Explainer(pg.settings(), ExplainOptions.defaults().withRateLimits(Duration.ZERO, 1_000_000),
                Clock.systemUTC());
    }

    private static List<String> indexes() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = pg.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT indexname FROM pg_indexes WHERE tablename = 'hypo_orders' ORDER BY 1")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static long hypotheticalIndexesLeft(Explainer explainer) throws SQLException {
        try (Statement st = explainer.session().createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM hypopg()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aSelectiveIndexIsPickedByThePlannerAndNothingIsWrittenOrLeftBehind() throws SQLException {
        List<String> indexesBefore = indexes();
        String rowsBefore = pg.checksum("hypo_orders");
        try (Explainer explainer = explainer()) {
            IndexVerifier verifier = new IndexVerifier(explainer, IndexVerifier.Mode.NONE);
            IndexCheck check = verifier.check(BY_EMAIL, List.of("c42@example.com"), EMAIL_INDEX);

            assertEquals(IndexCheck.Method.HYPOPG, check.method(), check.toString());
            assertEquals(Boolean.TRUE, check.used(), check.toString());
            assertTrue(check.verified());
            assertTrue(check.costAfter() * 50 < check.costBefore(),
                    "an index lookup of 5 rows is far cheaper than a scan of 200,000: " + check);
            assertEquals("CREATE INDEX hypo_orders_customer_email_idx ON hypo_orders (customer_email)", check.sql());
            assertNull(check.msBefore(), "hypopg gives estimates, not times");
            assertEquals(0, hypotheticalIndexesLeft(explainer), "hypopg_reset() ran");

            // had the first hypothetical index survived, the second check's "before" plan would use it
            IndexCheck again = verifier.check(BY_EMAIL, List.of("c42@example.com"), EMAIL_INDEX);
            assertEquals(check.costBefore(), again.costBefore());
            assertEquals(check.costAfter(), again.costAfter());
            assertNull(verifier.hypopgMissing());
        }
        assertEquals(indexesBefore, indexes(), "no index was created");
        assertEquals(rowsBefore, pg.checksum("hypo_orders"));
    }

    @Test
    void anIndexThePlannerWouldNotPickIsReportedUnused() {
        try (Explainer explainer = explainer()) {
            // 90% of the rows are shipped: reading them through an index costs more than the scan
            IndexCheck check = new IndexVerifier(explainer, IndexVerifier.Mode.NONE).check(
                    "SELECT * FROM hypo_orders WHERE status = $1", List.of("shipped"),
                    "CREATE INDEX CONCURRENTLY hypo_orders_status_idx ON hypo_orders (status);");
            assertEquals(IndexCheck.Method.HYPOPG, check.method(), check.toString());
            assertEquals(Boolean.FALSE, check.used());
            assertFalse(check.verified());
            assertEquals(check.costBefore(), check.costAfter());
        }
    }

    @Test
    void aStatementWithoutValuesIsCheckedOnItsGenericPlan() throws SQLException {
        try (Explainer explainer = explainer()) {
            // PostgreSQL 15 has no EXPLAIN (GENERIC_PLAN): PREPARE + force_generic_plan, twice in one transaction
            IndexCheck check = new IndexVerifier(explainer, IndexVerifier.Mode.NONE).check(BY_EMAIL, List.of(), EMAIL_INDEX);
            assertEquals(IndexCheck.Method.HYPOPG, check.method(), check.toString());
            assertEquals(Boolean.TRUE, check.used(), check.toString());
            assertTrue(check.reason().contains("generic"), check.reason());
            try (Statement st = explainer.session().createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_prepared_statements WHERE name = 'pgsleuth_generic'")) {
                rs.next();
                assertEquals(0, rs.getLong(1), "the generic-plan statement was deallocated");
            }
            // the session goes on serving the explainer
            assertEquals(ExplainResult.Status.OK, explainer.explain("after", BY_EMAIL, List.of("c7@example.com")).status());
        }
    }

    @Test
    void anIndexThatNeedsAMissingExtensionOrIsNotAnIndexIsNotChecked() {
        try (Explainer explainer = explainer()) {
            IndexVerifier verifier = new IndexVerifier(explainer, IndexVerifier.Mode.NONE);
            IndexCheck trgm = verifier.check("SELECT * FROM hypo_orders WHERE customer_email LIKE '%42%'", List.of(),
                    "CREATE EXTENSION IF NOT EXISTS pg_trgm;\nCREATE INDEX CONCURRENTLY hypo_orders_email_trgm_idx "
                            + "ON hypo_orders USING gin (customer_email gin_trgm_ops);");
            assertEquals(IndexCheck.Method.NONE, trgm.method());
            assertTrue(trgm.reason().contains("pg_trgm"), trgm.reason());

            IndexCheck notIndex = verifier.check(BY_EMAIL, List.of("c1@example.com"), "SET LOCAL work_mem = '64MB';");
            assertEquals(IndexCheck.Method.NONE, notIndex.method());

            IndexCheck refused = verifier.check("DELETE FROM hypo_orders WHERE id = 1", List.of(), EMAIL_INDEX);
            assertEquals(IndexCheck.Method.NONE, refused.method());
            assertTrue(refused.reason().startsWith("the statement is not run"), refused.reason());
        }
    }
}
