package dev.pgsleuth.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgsleuth.explain.IndexCheck;
import dev.pgsleuth.model.Finding;
import dev.pgsleuth.model.FindingSeverity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the result of an index check changes a finding: evidence, message, severity, suggestion. */
class IndexCheckFindingTest {

    private static final String SQL = "CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status);";

    private static Finding finding() {
        return new Finding("seq-scan-selective-filter:fp:orders", "seq-scan-selective-filter", "index",
                FindingSeverity.HIGH, "Seq scan", "`Seq Scan on orders` removed 99% of rows.", List.of("fp"),
                List.of("orders"), null, null, Map.of("indexVerified", false),
                new Finding.Suggestion("Create an index.", SQL));
    }

    @Test
    void anIndexThePlannerPicksIsVerifiedAndKeepsItsSeverity() {
        IndexCheck used = new IndexCheck(IndexCheck.Method.HYPOPG, "CREATE INDEX orders_status_idx ON orders (status)",
                4000.0, 8.5, true, null, null, null);
        Finding f = ExplainStage.withCheck(finding(), used);
        assertEquals(FindingSeverity.HIGH, f.severity());
        assertEquals(true, f.evidence().get("indexVerified"));
        assertEquals(Map.of("method", "hypopg", "sql", "CREATE INDEX orders_status_idx ON orders (status)",
                "cost_before", 4000.0, "cost_after", 8.5, "used", true), f.evidence().get("index_check"));
        assertTrue(f.message().endsWith("Verified with a hypothetical index (hypopg): the planner uses the index, "
                + "estimated cost 4,000.00 → 8.50."), f.message());
        assertEquals(SQL, f.suggestion().sql());
    }

    @Test
    void anIndexThePlannerIgnoresIsNotSuggestedAndTheFindingBecomesInfo() {
        IndexCheck unused = new IndexCheck(IndexCheck.Method.TRANSACTION, "CREATE INDEX orders_status_idx ON orders (status)",
                4000.0, 4000.0, false, 30.0, 29.5, null);
        Finding f = ExplainStage.withCheck(finding(), unused);
        assertEquals(FindingSeverity.INFO, f.severity());
        assertEquals(false, f.evidence().get("indexVerified"));
        assertNull(f.suggestion().sql(), "no CREATE INDEX to paste");
        assertTrue(f.message().contains("the planner does not use the suggested index (estimated cost 4,000.00 → 4,000.00, "
                + "execution 30.00 ms → 29.50 ms)"), f.message());
        assertEquals("CREATE INDEX orders_status_idx ON orders (status)",
                ((Map<?, ?>) f.evidence().get("index_check")).get("sql"), "what was tried stays in the evidence");
    }

    @Test
    void anUncheckedIndexIsMarkedUnverifiedWithTheReason() {
        IndexCheck none = new IndexCheck(IndexCheck.Method.NONE, null, null, null, null, null, null,
                "the hypopg extension is not installed in the database (CREATE EXTENSION hypopg)");
        Finding f = ExplainStage.withCheck(finding(), none);
        assertEquals(FindingSeverity.HIGH, f.severity());
        assertEquals(Map.of("method", "none", "reason", none.reason()), f.evidence().get("index_check"));
        assertEquals(false, f.evidence().get("indexVerified"));
        assertEquals(SQL, f.suggestion().sql());
    }
}
