package dev.pgsleuth.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.pgsleuth.rules.builtin.BuiltinRules;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The catalog holds together: yml ↔ class ↔ cases, both ways, and every yml fits the schema. */
class RuleCatalogTest {

    private static final Path RULES = Path.of("rules");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static Set<String> ymlIds() throws Exception {
        try (Stream<Path> files = Files.list(RULES)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yml"))
                    .map(n -> n.substring(0, n.length() - 4)).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static Set<String> classIds() {
        return BuiltinRules.all().stream().map(Rule::id).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void everyYmlHasItsClassAndEveryClassItsYml() throws Exception {
        assertEquals(ymlIds(), classIds());
        assertEquals(11, classIds().size());
    }

    @Test
    void everyRuleClassIsNamedAfterItsId() {
        for (Rule rule : BuiltinRules.all()) {
            String expected = Stream.of(rule.id().split("-"))
                    .map(w -> Character.toUpperCase(w.charAt(0)) + w.substring(1)).collect(Collectors.joining()) + "Rule";
            assertEquals(expected, rule.getClass().getSimpleName());
        }
    }

    @Test
    void everyRuleHasFailingAndPassingCases() throws Exception {
        for (String id : ymlIds()) {
            try (InputStream in = getClass().getResourceAsStream("/rule-cases/" + id + ".yml")) {
                assertNotNull(in, "no case file src/test/resources/rule-cases/" + id + ".yml");
                JsonNode cases = YAML.readTree(in);
                assertTrue(cases.path("fail").size() >= 1, id + " has no failing case");
                assertTrue(cases.path("pass").size() >= 1, id + " has no passing case");
            }
        }
        try (Stream<Path> files = Files.list(Path.of("src/test/resources/rule-cases"))) {
            for (Path p : files.toList()) {
                String id = p.getFileName().toString().replace(".yml", "");
                assertTrue(classIds().contains(id), "case file without a rule: " + p);
            }
        }
    }

    @Test
    void everyYmlValidatesAgainstTheSchema() throws Exception {
        Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(Files.readString(RULES.resolve("rule.schema.json")));
        for (String id : ymlIds()) {
            JsonNode yml = YAML.readTree(RULES.resolve(id + ".yml").toFile());
            List<?> errors = schema.validate(yml);
            assertTrue(errors.isEmpty(), id + ".yml: " + errors);
            assertEquals(id, yml.path("id").asText(), "id equals the file name");
        }
    }

    @Test
    void theSchemaRejectsABrokenRule() throws Exception {
        Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(Files.readString(RULES.resolve("rule.schema.json")));
        JsonNode broken = YAML.readTree("""
                id: Not_Kebab
                category: speed
                severity: urgent
                summary: no capital and no period
                thresholds: {x: {default: -1}}
                problem: short
                fix: short
                references: [http://insecure]
                """);
        assertTrue(schema.validate(broken).size() >= 7, schema.validate(broken).toString());
    }

    @Test
    void theCatalogLoadsFromTheClassPathWithThresholds() {
        RuleEngine engine = RuleEngine.builtin(RuleOverrides.none());
        RuleDefinition seq = engine.catalog().get("seq-scan-selective-filter");
        assertEquals("index", seq.category());
        assertEquals(10000, seq.thresholds().get("min-rows-removed").defaultValue());
        assertFalse(seq.fix().isBlank());
        assertEquals(11, engine.enabledRules().size());
    }

    @Test
    void overridesChangeThresholdsAndDisableRules() {
        RuleEngine engine = RuleEngine.builtin(RuleOverrides.fromMap(Map.of(
                "disabled", List.of("large-offset"),
                "thresholds", Map.of("heavy-in-app", Map.of("min-rows", 50000), "row-misestimate", Map.of("min-factor", "5")))));
        assertFalse(engine.enabledRules().containsKey("large-offset"));
        assertEquals(50000, engine.enabledRules().get("heavy-in-app").threshold("min-rows"));
        assertEquals(5, engine.enabledRules().get("row-misestimate").threshold("min-factor"));
        assertEquals(1000, engine.enabledRules().get("row-misestimate").threshold("min-rows"));
    }

    @Test
    void typosInOverridesAreErrors() {
        IllegalArgumentException unknownRule = assertThrows(IllegalArgumentException.class, () -> RuleEngine.builtin(
                RuleOverrides.fromMap(Map.of("disabled", List.of("large-ofset")))));
        assertTrue(unknownRule.getMessage().contains("large-ofset"));
        IllegalArgumentException unknownThreshold = assertThrows(IllegalArgumentException.class, () -> RuleEngine.builtin(
                RuleOverrides.fromMap(Map.of("thresholds", Map.of("heavy-in-app", Map.of("min-row", 5))))));
        assertTrue(unknownThreshold.getMessage().contains("min-rows"), unknownThreshold.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RuleOverrides.fromMap(
                Map.of("thresholds", Map.of("heavy-in-app", Map.of("min-rows", "many")))));
        assertThrows(IllegalArgumentException.class, () -> RuleOverrides.fromMap(Map.of("disable", List.of())));
    }
}
