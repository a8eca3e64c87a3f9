package dev.pgsleuth.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgsleuth.model.Plan;
import dev.pgsleuth.model.PlanNode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Plans produced by the seeded PostgreSQL 17, read into the typed tree. */
class PlanParserTest {

    private static String explainJson(String sql) throws Exception {
        try (Connection c = ShopDatabase.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static PlanNode find(Plan plan, String type) {
        return plan.nodes().stream().filter(n -> n.nodeType().equals(type)).findFirst().orElseThrow(
                () -> new AssertionError("no " + type + " in " + plan.nodes().stream().map(PlanNode::label).toList()));
    }

    @Test
    void readsSortHashAndScanDetailsAndTimeShares() throws Exception {
        Plan plan = PlanParser.parse(explainJson("""
                SELECT o.customer_email, i.product FROM orders o JOIN order_items i ON i.order_id = o.id
                WHERE o.status <> 'x' ORDER BY o.customer_email"""), false);
        assertTrue(plan.analyzed());
        assertFalse(plan.generic());
        assertTrue(plan.planningMs() >= 0);

        PlanNode sort = find(plan, "Sort");
        assertEquals("external merge", sort.sortMethod());
        assertEquals("Disk", sort.sortSpaceType());
        assertTrue(sort.sortSpaceKb() > 1000);
        assertEquals(List.of("o.customer_email"), sort.sortKey());
        assertTrue(sort.tempWrittenBlocks() > 0);

        PlanNode hash = find(plan, "Hash");
        assertTrue(hash.hashBatches() > 1, "batches " + hash.hashBatches());
        assertTrue(hash.peakMemoryKb() > 0);
        PlanNode join = find(plan, "Hash Join");
        assertTrue(join.hashCond().contains("order_id"), join.hashCond());

        PlanNode scan = plan.nodes().stream().filter(n -> "orders".equals(n.relation())).findFirst().orElseThrow();
        assertEquals("o", scan.alias());
        assertEquals("(status <> 'x'::text)", scan.filter());
        assertEquals(300_000, scan.totalActualRows());
        assertTrue(scan.planRows() > 0);
        assertEquals(1, scan.loops());

        double exclusive = 0;
        for (PlanNode n : plan.nodes()) {
            assertTrue(n.timeShare() >= 0 && n.timeShare() <= 1, n.label() + " share " + n.timeShare());
            assertTrue(n.exclusiveMs() <= n.inclusiveMs() + 1e-9);
            exclusive += n.exclusiveMs();
        }
        assertEquals(plan.root().inclusiveMs(), exclusive, plan.root().inclusiveMs() * 0.01 + 0.01,
                "exclusive times add up to the root's inclusive time");
        assertTrue(plan.root().inclusiveMs() <= plan.executionMs() * 1.05);
        for (int i = 0; i < plan.nodes().size(); i++) {
            assertEquals(i, plan.nodes().get(i).id(), "ids follow pre-order");
        }
        assertEquals(List.of("orders", "order_items"), plan.relations().stream().sorted(java.util.Comparator.reverseOrder()).toList());
    }

    @Test
    void loopsMultiplyTheInnerSideOfANestedLoop() throws Exception {
        Plan plan = PlanParser.parse(explainJson("""
                SELECT * FROM orders o JOIN customers c ON c.id = o.customer_id
                WHERE o.created_at < '2024-01-01 03:00'"""), false);
        PlanNode loop = find(plan, "Nested Loop");
        PlanNode inner = loop.children().get(1);
        assertEquals("customers", inner.relation());
        assertEquals("customers_pkey", inner.index());
        assertEquals(179, inner.loops());
        assertEquals("Inner", inner.parentRelationship());
        assertTrue(inner.indexCond().contains("o.customer_id"), inner.indexCond());
        assertEquals(inner.actualTotalMs() * inner.loops(), inner.inclusiveMs(), 1e-6);
        assertTrue(inner.sharedHitBlocks() + inner.sharedReadBlocks() >= 179);
    }

    @Test
    void readsAnAutoExplainObjectAndPlansWithoutAnalyze() throws Exception {
        String json = explainJson("SELECT count(*) FROM audit");
        String bare = json.strip().substring(1, json.strip().length() - 1);
        Plan plan = PlanParser.parse(bare, false);
        assertEquals("Aggregate", plan.root().nodeType());
        assertEquals(1, plan.root().actualRows());

        String planOnly;
        try (Connection c = ShopDatabase.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("EXPLAIN (FORMAT JSON) SELECT * FROM audit WHERE id = 3")) {
            rs.next();
            planOnly = rs.getString(1);
        }
        Plan estimated = PlanParser.parse(planOnly, true);
        assertFalse(estimated.analyzed());
        assertEquals(-1, estimated.root().timeShare());
        assertEquals(-1, estimated.root().totalActualRows());
        assertTrue(estimated.generic());
    }

    @Test
    void rejectsWhatIsNoPlan() {
        assertThrows(IllegalArgumentException.class, () -> PlanParser.parse("not json", false));
        assertThrows(IllegalArgumentException.class, () -> PlanParser.parse("[{\"x\": 1}]", false));
    }
}
