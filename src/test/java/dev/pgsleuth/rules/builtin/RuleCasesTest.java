package dev.pgsleuth.rules.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.pgsleuth.explain.ExplainResult;
import dev.pgsleuth.explain.Explainer;
import dev.pgsleuth.explain.ShopDatabase;
import dev.pgsleuth.model.Finding;
import dev.pgsleuth.rules.Rule;
import dev.pgsleuth.rules.RuleContext;
import dev.pgsleuth.rules.RuleEngine;
import dev.pgsleuth.rules.RuleOverrides;
import dev.pgsleuth.rules.RuleSettings;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every rule against its case file: each failing statement, explained live on the seeded
 * PostgreSQL 17, must produce a finding of that rule (with the expected SQL when the case names
 * it); each passing statement must produce none.
 */
class RuleCasesTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final RuleEngine ENGINE = RuleEngine.builtin(RuleOverrides.none());
    private static Explainer explainer;

    @AfterAll
    static void close() {
        if (explainer != null) {
            explainer.close();
        }
    }

    private static synchronized Explainer explainer() {
        if (explainer == null) {
            explainer = ShopDatabase.explainer();
        }
        return explainer;
    }

    @TestFactory
    Stream<DynamicTest> everyRuleFailsItsBadCasesAndPassesItsGoodOnes() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (Rule rule : BuiltinRules.all()) {
            JsonNode cases = cases(rule.id());
            for (String expectation : List.of("fail", "pass")) {
                for (JsonNode c : cases.path(expectation)) {
                    tests.add(DynamicTest.dynamicTest(rule.id() + " " + expectation + "s: " + c.path("name").asText(),
                            () -> check(rule, c, expectation.equals("fail"))));
                }
            }
        }
        return tests.stream();
    }

    static JsonNode cases(String id) throws Exception {
        try (InputStream in = RuleCasesTest.class.getResourceAsStream("/rule-cases/" + id + ".yml")) {
            return in == null ? null : YAML.readTree(in);
        }
    }

    private static void check(Rule rule, JsonNode c, boolean shouldFail) {
        String sql = c.path("sql").asText();
        List<String> params = new ArrayList<>();
        c.path("params").forEach(p -> params.add(p.asText()));
        ExplainResult result = explainer().explain(rule.id() + ":" + c.path("name").asText(), sql, params);
        assertEquals(ExplainResult.Status.OK, result.status(), result.reason());
        RuleSettings settings = ENGINE.enabledRules().get(rule.id());
        List<Finding> findings = rule.check(new RuleContext("fp-" + rule.id(), sql, result.plan(), null, result.catalog()), settings);
        if (!shouldFail) {
            assertTrue(findings.isEmpty(), () -> "expected no finding, got " + findings);
            return;
        }
        assertFalse(findings.isEmpty(), () -> "expected a finding on plan " + result.plan().nodes().stream()
                .map(n -> n.label() + " rows=" + n.actualRows() + " plan=" + n.planRows() + " loops=" + n.loops()
                        + " filter=" + n.filter() + " removed=" + n.rowsRemovedByFilter() + " sort=" + n.sortMethod()
                        + " batches=" + n.hashBatches()).toList());
        for (Finding f : findings) {
            assertEquals(rule.id(), f.rule());
            assertEquals(settings.definition().category(), f.category());
            assertTrue(f.id().startsWith(rule.id() + ":fp-" + rule.id() + ":"), f.id());
            assertFalse(f.title().isBlank());
            assertTrue(f.evidence().containsKey("node"));
            assertEquals(result.plan().generic(), f.evidence().get("generic"));
            if (f.suggestion().sql() != null && f.suggestion().sql().contains("CREATE INDEX")) {
                assertEquals(false, f.evidence().get("indexVerified"), "index advice is marked unverified without hypopg");
            }
            assertEquals(result.plan().generic(), params.isEmpty() && sql.contains("$1"));
        }
        if (c.has("expect-sql")) {
            String expected = c.path("expect-sql").asText();
            assertTrue(findings.stream().anyMatch(f -> expected.equals(f.suggestion().sql())),
                    () -> "expected suggestion " + expected + ", got " + findings.stream().map(f -> f.suggestion().sql()).toList());
        }
        if (c.has("expect-sql-prefix")) {
            String prefix = c.path("expect-sql-prefix").asText();
            assertTrue(findings.stream().anyMatch(f -> f.suggestion().sql() != null && f.suggestion().sql().startsWith(prefix)),
                    () -> "expected a suggestion starting " + prefix + ", got " + findings.stream().map(f -> f.suggestion().sql()).toList());
        }
    }
}
