package dev.pgsleuth.rules.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgsleuth.explain.ExplainResult;
import dev.pgsleuth.explain.Explainer;
import dev.pgsleuth.explain.ShopDatabase;
import dev.pgsleuth.model.Finding;
import dev.pgsleuth.rules.CatalogFacts;
import dev.pgsleuth.rules.RuleContext;
import dev.pgsleuth.rules.RuleEngine;
import dev.pgsleuth.rules.RuleOverrides;
import dev.pgsleuth.rules.RuleSettings;
import dev.pgsleuth.rules.builtin.Conditions.Kind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Index advice never repeats an index the catalog already has: a live plan of a selective seq scan,
 * checked against the live catalog plus one more index, as if it had been created.
 */
class IndexAdviceTest {

    private static final RuleEngine ENGINE = RuleEngine.builtin(RuleOverrides.none());

    private static CatalogFacts withIndex(CatalogFacts facts, CatalogFacts.Index extra) {
        Map<String, List<CatalogFacts.Index>> indexes = new HashMap<>(facts.indexes());
        List<CatalogFacts.Index> list = new ArrayList<>(facts.indexesOn(extra.table()));
        list.add(extra);
        indexes.put(extra.table(), list);
        return new CatalogFacts(indexes, facts.foreignKeys(), facts.rowEstimates(), facts.distinctValues());
    }

    private static CatalogFacts.Index btree(String name, List<String> columns, boolean partial, boolean valid) {
        return new CatalogFacts.Index("orders", name, "btree", columns, partial, valid, "CREATE INDEX " + name);
    }

    @Test
    void noSuggestionWhenAnExistingIndexStartsWithTheSameColumns() {
        ExplainResult r;
        try (Explainer explainer = ShopDatabase.explainer()) {
            r = explainer.explain("advice", "SELECT * FROM orders WHERE total > $1 AND customer_email = $2",
                    List.of("500", "c42@example.com"));
        }
        assertEquals(ExplainResult.Status.OK, r.status(), r.reason());
        SeqScanSelectiveFilterRule rule = new SeqScanSelectiveFilterRule();
        RuleSettings settings = ENGINE.enabledRules().get(rule.id());
        String sql = "SELECT * FROM orders WHERE total > $1 AND customer_email = $2";

        List<Finding> live = rule.check(new RuleContext("fp", sql, r.plan(), null, r.catalog()), settings);
        assertEquals(1, live.size());

        for (CatalogFacts.Index covering : List.of(
                btree("exact", List.of("customer_email", "total"), false, true),
                btree("wider", List.of("customer_email", "total", "status"), false, true))) {
            List<Finding> f = rule.check(new RuleContext("fp", sql, r.plan(), null, withIndex(r.catalog(), covering)), settings);
            assertTrue(f.isEmpty(), covering.name() + " covers the suggestion, yet: " + f);
        }
        for (CatalogFacts.Index notCovering : List.of(
                btree("other-leading", List.of("status", "customer_email", "total"), false, true),
                btree("range-first", List.of("total", "customer_email"), false, true),
                btree("only-first", List.of("customer_email"), false, true),
                btree("partial", List.of("customer_email", "total"), true, true),
                btree("invalid", List.of("customer_email", "total"), false, false))) {
            List<Finding> f = rule.check(new RuleContext("fp", sql, r.plan(), null, withIndex(r.catalog(), notCovering)), settings);
            assertEquals(1, f.size(), notCovering.name() + " does not cover (customer_email, total)");
        }
    }

    @Test
    void theEngineRunsEveryEnabledRuleAndKeepsFindingIdsUnique() {
        ExplainResult r;
        String sql = "SELECT * FROM orders a JOIN orders b ON b.id = a.id + 1 ORDER BY a.customer_email, b.zip";
        try (Explainer explainer = ShopDatabase.explainer()) {
            r = explainer.explain("engine", sql, List.of());
        }
        assertEquals(ExplainResult.Status.OK, r.status(), r.reason());
        List<Finding> all = ENGINE.evaluate(new RuleContext("fp", sql, r.plan(), null, r.catalog()));
        assertTrue(all.stream().anyMatch(f -> f.rule().equals("sort-spills-to-disk")), all.toString());
        assertTrue(all.stream().anyMatch(f -> f.rule().equals("heavy-in-app")), all.toString());
        assertEquals(all.size(), all.stream().map(Finding::id).distinct().count(), all.toString());
        RuleEngine quiet = RuleEngine.builtin(RuleOverrides.fromMap(Map.of("disabled", List.of("heavy-in-app", "sort-spills-to-disk"))));
        assertTrue(quiet.evaluate(new RuleContext("fp", sql, r.plan(), null, r.catalog())).stream()
                .noneMatch(f -> f.rule().equals("heavy-in-app") || f.rule().equals("sort-spills-to-disk")));
    }

    private static ExplainResult explain(String sql, List<String> params) {
        try (Explainer explainer = ShopDatabase.explainer()) {
            ExplainResult r = explainer.explain(sql, sql, params);
            assertEquals(ExplainResult.Status.OK, r.status(), r.reason());
            return r;
        }
    }

    private static String sortAdvice(ExplainResult r, String sql, CatalogFacts.Index extra) {
        SortSpillsToDiskRule rule = new SortSpillsToDiskRule();
        CatalogFacts facts = extra == null ? r.catalog() : withIndex(r.catalog(), extra);
        List<Finding> f = rule.check(new RuleContext("fp", sql, r.plan(), null, facts), ENGINE.enabledRules().get(rule.id()));
        assertEquals(1, f.size(), f.toString());
        return f.get(0).suggestion().sql();
    }

    private static CatalogFacts.Index defined(String table, String name, List<String> columns, String keys) {
        return new CatalogFacts.Index(table, name, "btree", columns, false, true,
                "CREATE INDEX " + name + " ON public." + table + " USING btree " + keys);
    }

    @Test
    void noSortIndexWhenAnExistingIndexAlreadyReadsInThatOrderForwardsOrBackwards() {
        String sql = "SELECT * FROM orders ORDER BY total DESC LIMIT 100000";
        ExplainResult r = explain(sql, List.of());
        assertEquals("CREATE INDEX CONCURRENTLY orders_total_idx ON orders (total DESC);", sortAdvice(r, sql, null));
        for (CatalogFacts.Index covering : List.of(
                defined("orders", "asc", List.of("total"), "(total)"),
                defined("orders", "desc", List.of("total"), "(total DESC)"),
                defined("orders", "wider", List.of("total", "zip"), "(total, zip)"))) {
            assertTrue(sortAdvice(r, sql, covering).startsWith("SET LOCAL work_mem"), covering.name());
        }
        assertTrue(sortAdvice(r, sql, defined("orders", "other", List.of("zip", "total"), "(zip, total)"))
                .startsWith("CREATE INDEX"));

        String mixed = "SELECT * FROM orders ORDER BY status, total DESC LIMIT 100000";
        ExplainResult m = explain(mixed, List.of());
        assertTrue(sortAdvice(m, mixed, defined("orders", "both-asc", List.of("status", "total"), "(status, total)"))
                .startsWith("CREATE INDEX"), "an index in (status, total) order serves neither direction of the mix");
        assertTrue(sortAdvice(m, mixed, defined("orders", "reversed", List.of("status", "total"), "(status DESC, total)"))
                .startsWith("SET LOCAL work_mem"), "read backwards it is exactly (status, total DESC)");
    }

    @Test
    void noExpressionIndexWhenTheSameExpressionIsAlreadyIndexed() {
        String sql = "SELECT * FROM customers WHERE lower(email) = $1";
        ExplainResult r = explain(sql, List.of("c42@example.com"));
        FunctionOnIndexedColumnRule rule = new FunctionOnIndexedColumnRule();
        RuleSettings settings = ENGINE.enabledRules().get(rule.id());
        assertEquals(1, rule.check(new RuleContext("fp", sql, r.plan(), null, r.catalog()), settings).size());
        List<String> expressionKey = java.util.Arrays.asList((String) null);
        for (String definition : List.of("(lower(email))", "(lower((email)::text))")) {
            CatalogFacts facts = withIndex(r.catalog(), defined("customers", "lower_idx", expressionKey, definition));
            assertTrue(rule.check(new RuleContext("fp", sql, r.plan(), null, facts), settings).isEmpty(), definition);
        }
        CatalogFacts upper = withIndex(r.catalog(), defined("customers", "upper_idx", expressionKey, "(upper(email))"));
        assertEquals(1, rule.check(new RuleContext("fp", sql, r.plan(), null, upper), settings).size());
    }

    @Test
    void noForeignKeyOrReadEfficiencyIndexWhenOneExists() {
        String lookup = "SELECT * FROM order_items WHERE order_id = $1";
        ExplainResult r = explain(lookup, List.of("42"));
        UnindexedForeignKeyRule fk = new UnindexedForeignKeyRule();
        RuleSettings fkSettings = ENGINE.enabledRules().get(fk.id());
        assertEquals(1, fk.check(new RuleContext("fp", lookup, r.plan(), null, r.catalog()), fkSettings).size());
        CatalogFacts indexed = withIndex(r.catalog(),
                defined("order_items", "order_items_order_id_idx", List.of("order_id"), "(order_id)"));
        assertTrue(fk.check(new RuleContext("fp", lookup, r.plan(), null, indexed), fkSettings).isEmpty());

        String window = "SELECT * FROM orders WHERE created_at >= '2024-03-01' AND created_at < '2024-03-15' "
                + "AND customer_email = $1";
        ExplainResult w = explain(window, List.of("c42@example.com"));
        LowReadEfficiencyRule low = new LowReadEfficiencyRule();
        RuleSettings lowSettings = ENGINE.enabledRules().get(low.id());
        List<Finding> before = low.check(new RuleContext("fp", window, w.plan(), null, w.catalog()), lowSettings);
        assertTrue(before.get(0).suggestion().sql().startsWith("CREATE INDEX"), before.toString());
        CatalogFacts covering = withIndex(w.catalog(),
                defined("orders", "existing", List.of("customer_email", "created_at"), "(customer_email, created_at)"));
        for (Finding f : low.check(new RuleContext("fp", window, w.plan(), null, covering), lowSettings)) {
            assertTrue(f.suggestion().sql() == null || !f.suggestion().sql().contains("CREATE INDEX"), f.toString());
        }
    }

    @Test
    void equalityColumnsMayComeInAnyOrderRangeColumnsMayNot() {
        CatalogFacts facts = withIndex(CatalogFacts.empty(), btree("i", List.of("b", "a", "c"), false, true));
        assertTrue(facts.coveredByExistingIndex("orders", List.of("a", "b"), 2));
        assertTrue(facts.coveredByExistingIndex("orders", List.of("a", "b", "c"), 2));
        assertTrue(!facts.coveredByExistingIndex("orders", List.of("a", "c"), 1));
        assertTrue(!facts.coveredByExistingIndex("orders", List.of("c"), 1));
        assertTrue(!facts.coveredByExistingIndex("customers", List.of("a"), 1));
    }

    @Test
    void conditionsAreReadFromDeparsedPlanText() {
        List<Conditions.Condition> c = Conditions.parse(
                "((status = 'cancelled'::text) AND (total > '900'::numeric) AND (deleted_at IS NULL) AND (NOT archived)"
                        + " AND (lower((email)::text) = 'a@b.c'::text) AND ((name)::text ~~* '%x%'::text) AND (o.customer_id = c.id))");
        assertEquals(List.of(Kind.EQUALITY, Kind.RANGE, Kind.NULL_TEST, Kind.BOOLEAN, Kind.EQUALITY, Kind.LIKE, Kind.EQUALITY),
                c.stream().map(Conditions.Condition::kind).toList());
        assertEquals(List.of("status", "total", "deleted_at", "archived", "email", "name", "customer_id"),
                c.stream().map(Conditions.Condition::column).toList());
        assertEquals("lower", c.get(4).function());
        assertEquals("'cancelled'", c.get(0).bareValue());
        assertTrue(c.get(0).constantValue());
        assertTrue(!c.get(6).constantValue(), "a join column is no constant");
        assertTrue(Conditions.hasTopLevelOr("((a = 1) OR (b = 2))"));
        assertTrue(!Conditions.hasTopLevelOr("((a = 1) AND ((b = 2) OR (c = 3)))"));
        assertEquals(Kind.OTHER, Conditions.parse("(a + b > 3)").get(0).kind());
        assertEquals(List.of("it's AND fine"), Conditions.parse("(note = 'it''s AND fine'::text)").stream()
                .map(x -> x.bareValue().replace("''", "'").replaceAll("^'|'$", "")).toList());
    }
}
