package dev.pgsleuth.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgsleuth.explain.ExplainResult.Status;
import dev.pgsleuth.model.Plan;
import dev.pgsleuth.model.PlanNode;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Explainer against a real PostgreSQL 17 seeded with 300,000 orders. */
class ExplainerTest {

    private static final List<String> TABLES = List.of("customers", "orders", "order_items", "price_bands", "audit");

    @Test
    void bindsValuesAsParametersAndReturnsTheAnalyzedPlan() {
        try (Explainer explainer = ShopDatabase.explainer()) {
            ExplainResult r = explainer.explain("f1", "SELECT * FROM orders WHERE customer_email = $1",
                    List.of("c42@example.com"));
            assertEquals(Status.OK, r.status(), r.reason());
            Plan plan = r.plan();
            assertFalse(plan.generic());
            assertTrue(plan.executionMs() > 0);
            PlanNode scan = plan.root();
            assertEquals("Seq Scan", scan.nodeType());
            assertEquals("orders", scan.relation());
            assertTrue(scan.filter().contains("customer_email = 'c42@example.com'"), scan.filter());
            assertEquals(6, scan.actualRows());
            assertEquals(299_994, scan.rowsRemovedByFilter());
            assertTrue(scan.sharedHitBlocks() + scan.sharedReadBlocks() > 1000);
            assertTrue(r.catalog().foreignKeys().stream().anyMatch(fk -> fk.columns().equals(List.of("customer_id"))));
            assertTrue(r.catalog().indexesOn("orders").stream().anyMatch(i -> i.columns().equals(List.of("created_at"))));
            assertEquals(3, r.catalog().distinctValues("orders", "status"));
            assertTrue(r.catalog().rowEstimate("orders") > 290_000);
        }
    }

    @Test
    void aValueIsNeverSplicedIntoTheText() throws Exception {
        String before = ShopDatabase.checksum("orders");
        try (Explainer explainer = ShopDatabase.explainer()) {
            ExplainResult r = explainer.explain("f2", "SELECT * FROM orders WHERE customer_email = $1 AND status = $2",
                    List.of("x'; DROP TABLE orders; --", "shipped"));
            assertEquals(Status.OK, r.status(), r.reason());
            assertEquals(0, r.plan().root().actualRows());
        }
        assertEquals(before, ShopDatabase.checksum("orders"));
    }

    @Test
    void withoutValuesThePlanIsGenericAndHasNoTimings() {
        try (Explainer explainer = ShopDatabase.explainer()) {
            ExplainResult r = explainer.explain("f3", "SELECT * FROM orders WHERE created_at > $1 AND status = $2", List.of());
            assertEquals(Status.OK, r.status(), r.reason());
            assertTrue(r.plan().generic());
            assertFalse(r.plan().analyzed());
            assertEquals(-1, r.plan().executionMs());
            assertTrue(r.plan().root().filter() != null || r.plan().root().children().size() > 0);
        }
    }

    @Test
    void beforePostgres16TheGenericPlanComesFromPrepareAndForceGenericPlan() {
        try (Explainer explainer = ShopDatabase.explainer(ExplainOptions.defaults().withLegacyGenericPlan(true))) {
            for (int i = 0; i < 2; i++) {  // twice: the prepared statement must have been deallocated
                ExplainResult r = explainer.explain("f4-" + i, "SELECT * FROM orders WHERE customer_email = $1", List.of());
                assertEquals(Status.OK, r.status(), r.reason());
                assertTrue(r.plan().generic());
                assertTrue(r.plan().root().filter().contains("$1"), r.plan().root().filter());
            }
        }
    }

    @Test
    void aSlowStatementIsCancelledAtTheTimeout() {
        long start = System.nanoTime();
        try (Explainer explainer = ShopDatabase.explainer(ExplainOptions.defaults().withStatementTimeout(Duration.ofMillis(300)))) {
            ExplainResult r = explainer.explain("slow",
                    "SELECT count(*) FROM orders a CROSS JOIN order_items b WHERE a.total + b.qty > 0", List.of());
            assertEquals(Status.TIMED_OUT, r.status(), r.reason());
            assertTrue(r.reason().contains("300 ms"), r.reason());
            ExplainResult next = explainer.explain("after", "SELECT count(*) FROM audit", List.of());
            assertEquals(Status.OK, next.status(), "the connection stays usable: " + next.reason());
        }
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 10);
    }

    @Test
    void aStatementWaitingForALockGivesUpAtTheLockTimeout() throws Exception {
        ExplainOptions d = ExplainOptions.defaults();
        ExplainOptions shortLock = new ExplainOptions(d.statementTimeout(), Duration.ofMillis(200),
                d.idleInTransactionTimeout(), d.connectTimeout(), d.perFingerprintInterval(), d.maxPerMinute(),
                d.initialBackoff(), d.maxBackoff(), false);
        try (Connection holder = ShopDatabase.connect(); Explainer explainer = ShopDatabase.explainer(shortLock)) {
            holder.setAutoCommit(false);
            try (Statement st = holder.createStatement()) {
                st.execute("LOCK TABLE audit IN ACCESS EXCLUSIVE MODE");
                ExplainResult r = explainer.explain("locked", "SELECT count(*) FROM audit", List.of());
                assertEquals(Status.TIMED_OUT, r.status(), r.reason());
                assertTrue(r.reason().contains("lock_timeout (200 ms)"), r.reason());
            } finally {
                holder.rollback();
            }
            assertEquals(Status.OK, explainer.explain("unlocked", "SELECT count(*) FROM audit", List.of()).status());
        }
    }

    @Test
    void aConnectionClosedBetweenCallsIsReplacedOnce() throws Exception {
        try (Explainer explainer = ShopDatabase.explainer()) {
            assertEquals(Status.OK, explainer.explain("before", "SELECT count(*) FROM audit", List.of()).status());
            try (Connection c = ShopDatabase.connect(); Statement st = c.createStatement()) {
                st.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'pgsleuth'");
            }
            ExplainResult after = explainer.explain("after", "SELECT count(*) FROM audit", List.of());
            assertEquals(Status.OK, after.status(), after.reason());
        }
    }

    @Test
    void refusedAndReadOnlyStatementsLeaveEveryTableByteIdentical() throws Exception {
        Map<String, String> before = checksums();
        long sequenceBefore = sequenceValue();
        List<String> refused = List.of(
                "INSERT INTO audit VALUES (5000, 'x')",
                "UPDATE orders SET status = 'x'",
                "DELETE FROM order_items",
                "MERGE INTO audit a USING audit b ON a.id = b.id WHEN MATCHED THEN DELETE",
                "TRUNCATE audit",
                "DROP TABLE audit",
                "CREATE TABLE evil AS SELECT * FROM orders",
                "WITH d AS (DELETE FROM audit RETURNING *) SELECT count(*) FROM d",
                "SELECT * FROM audit FOR UPDATE",
                "SELECT * FROM audit FOR SHARE",
                "SELECT 1; DELETE FROM audit",
                "SELECT * INTO audit_copy FROM audit",
                "SELECT nextval('audit_seq')",
                "SELECT setval('audit_seq', 99)",
                "SELECT pg_sleep(5)",
                "SELECT pg_advisory_lock(42)",
                "SELECT set_config('default_transaction_read_only', 'off', false)",
                "SELECT lo_create(0)",
                "SELECT pg_terminate_backend(pg_backend_pid())",
                "SELECT this is not sql");
        try (Explainer explainer = ShopDatabase.explainer()) {
            for (String sql : refused) {
                ExplainResult r = explainer.explain(sql, sql, List.of());
                assertEquals(Status.REFUSED, r.status(), () -> sql + " → " + r.reason());
                assertNotNull(r.reason());
            }
            // a function the guard cannot know writes; the read-only transaction stops it
            ExplainResult sneaky = explainer.explain("sneaky", "SELECT bump_audit()", List.of());
            assertEquals(Status.FAILED, sneaky.status());
            assertTrue(sneaky.reason().contains("read-only transaction"), sneaky.reason());
            for (String sql : List.of("SELECT * FROM orders WHERE total > 999", "SELECT count(*) FROM order_items",
                    "SELECT * FROM audit ORDER BY note")) {
                assertEquals(Status.OK, explainer.explain(sql, sql, List.of()).status(), sql);
            }
        }
        assertEquals(before, checksums());
        assertEquals(sequenceBefore, sequenceValue());
    }

    @Test
    void identifiesItselfByApplicationNameAndMarker() throws Exception {
        try (Explainer explainer = ShopDatabase.explainer()) {
            assertEquals(Status.OK, explainer.explain("m", "SELECT count(*) FROM audit", List.of()).status());
            try (Connection c = ShopDatabase.connect(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT query, state FROM pg_stat_activity WHERE application_name = 'pgsleuth'")) {
                assertTrue(rs.next(), "one pgsleuth connection");
                assertTrue(rs.getString(1).startsWith("/* pgsleuth */"), rs.getString(1));
                assertEquals("idle", rs.getString(2), "no transaction is left open");
                assertFalse(rs.next(), "only one connection");
            }
        }
    }

    @Test
    void anUnreachableDatabaseGivesAReasonAndBacksOff() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ConnectionSettings settings = ConnectionSettings.parse(
                "postgres://app:s3cret-pw@127.0.0.1:" + port + "/shop", Map.of(), null, "app");
        MutableClock clock = new MutableClock();
        try (Explainer explainer = new Explainer(settings, ExplainOptions.defaults().withRateLimits(Duration.ZERO, 1000), clock)) {
            ExplainResult first = explainer.explain("a", "SELECT 1", List.of());
            assertEquals(Status.UNAVAILABLE, first.status());
            assertTrue(first.reason().contains("127.0.0.1:" + port), first.reason());
            assertFalse(first.reason().contains("s3cret-pw"), first.reason());
            ExplainResult during = explainer.explain("b", "SELECT 1", List.of());
            assertEquals(Status.UNAVAILABLE, during.status());
            assertTrue(during.reason().contains("next attempt after 2026-01-01T00:00:05Z"), during.reason());
            clock.advance(Duration.ofSeconds(6));
            ExplainResult again = explainer.explain("c", "SELECT 1", List.of());
            assertTrue(again.reason().contains("next attempt after 2026-01-01T00:00:16Z"), "back-off doubled: " + again.reason());
            // refusals are decided before any connection attempt, even during back-off
            assertEquals(Status.REFUSED, explainer.explain("d", "DELETE FROM t", List.of()).status());
        }
    }

    @Test
    void rateLimitsPerFingerprintAndGlobally() {
        MutableClock clock = new MutableClock();
        ExplainOptions options = ExplainOptions.defaults().withRateLimits(Duration.ofMinutes(10), 3);
        try (Explainer explainer = new Explainer(ShopDatabase.settings(), options, clock)) {
            assertEquals(Status.OK, explainer.explain("fp1", "SELECT count(*) FROM audit", List.of()).status());
            assertEquals(Status.RATE_LIMITED, explainer.explain("fp1", "SELECT count(*) FROM audit", List.of()).status());
            assertEquals(Status.OK, explainer.explain("fp2", "SELECT count(*) FROM audit", List.of()).status());
            assertEquals(Status.OK, explainer.explain("fp3", "SELECT count(*) FROM audit", List.of()).status());
            ExplainResult fourth = explainer.explain("fp4", "SELECT count(*) FROM audit", List.of());
            assertEquals(Status.RATE_LIMITED, fourth.status());
            assertTrue(fourth.reason().contains("3 statements per minute"), fourth.reason());
            clock.advance(Duration.ofSeconds(61));
            assertEquals(Status.OK, explainer.explain("fp4", "SELECT count(*) FROM audit", List.of()).status());
            assertEquals(Status.RATE_LIMITED, explainer.explain("fp1", "SELECT count(*) FROM audit", List.of()).status());
            clock.advance(Duration.ofMinutes(10));
            assertEquals(Status.OK, explainer.explain("fp1", "SELECT count(*) FROM audit", List.of()).status());
        }
    }

    private static Map<String, String> checksums() throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        for (String t : TABLES) {
            out.put(t, ShopDatabase.checksum(t));
        }
        List<String> tables = new ArrayList<>();
        try (Connection c = ShopDatabase.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace ORDER BY 1")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        out.put("relations", String.join(",", tables));
        return out;
    }

    private static long sequenceValue() throws Exception {
        try (Connection c = ShopDatabase.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT last_value + CASE WHEN is_called THEN 1 ELSE 0 END FROM audit_seq")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
