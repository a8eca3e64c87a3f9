package dev.pgsleuth.rules.builtin;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pgsleuth.explain.PlanParser;
import dev.pgsleuth.explain.ShopDatabase;
import dev.pgsleuth.model.Plan;
import dev.pgsleuth.model.PlanNode;
import dev.pgsleuth.rules.RuleContext;
import dev.pgsleuth.rules.RuleEngine;
import dev.pgsleuth.rules.RuleOverrides;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The advice works: each suggested index or statistics object, created inside a transaction that
 * is rolled back, changes the plan of the failing case the way the finding promises.
 */
class SuggestionsTest {

    @TestFactory
    Stream<DynamicTest> everySuggestedFixChangesThePlan() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (var rule : BuiltinRules.all()) {
            for (JsonNode c : RuleCasesTest.cases(rule.id()).path("fail")) {
                String fix = c.path("expect-sql").asText(null);
                boolean generic = c.path("params").isEmpty() && c.path("sql").asText().contains("$1");
                if (fix == null || generic) {
                    continue;
                }
                tests.add(DynamicTest.dynamicTest(rule.id() + ": " + c.path("name").asText(), () -> verify(rule.id(), c, fix)));
            }
        }
        return tests.stream();
    }

    private static void verify(String ruleId, JsonNode c, String fix) throws Exception {
        try (Connection conn = ShopDatabase.connect()) {
            conn.setAutoCommit(false);
            try (Statement st = conn.createStatement()) {
                for (String part : fix.split(";\n?")) {
                    if (!part.isBlank()) {
                        st.execute(part.replace("CREATE INDEX CONCURRENTLY", "CREATE INDEX"));
                    }
                }
                Plan plan = explain(conn, c);
                if (fix.startsWith("CREATE INDEX") || fix.contains("\nCREATE INDEX")) {
                    String index = fix.substring(fix.indexOf("CREATE INDEX CONCURRENTLY ") + 26).split(" ")[0];
                    assertTrue(plan.nodes().stream().map(PlanNode::index).anyMatch(index::equals),
                            () -> "the plan does not use " + index + ": " + plan.nodes().stream().map(PlanNode::label).toList());
                } else {
                    var settings = RuleEngine.builtin(RuleOverrides.none()).enabledRules().get(ruleId);
                    var rule = BuiltinRules.all().stream().filter(r -> r.id().equals(ruleId)).findFirst().orElseThrow();
                    assertTrue(rule.check(new RuleContext("fp", c.path("sql").asText(), plan, null, null), settings).isEmpty(),
                            () -> "still found after " + fix + ": " + plan.nodes().stream()
                                    .map(n -> n.label() + " est " + n.planRows() + " actual " + n.actualRows()).toList());
                }
            } finally {
                conn.rollback();
            }
        }
    }

    private static Plan explain(Connection conn, JsonNode c) throws Exception {
        String sql = c.path("sql").asText().replaceAll("\\$\\d+", "?");
        try (PreparedStatement ps = conn.prepareStatement("EXPLAIN (ANALYZE, BUFFERS, VERBOSE, FORMAT JSON) " + sql)) {
            int i = 1;
            for (JsonNode p : c.path("params")) {
                ps.setObject(i++, p.asText(), Types.OTHER);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return PlanParser.parse(rs.getString(1), false);
            }
        }
    }
}
