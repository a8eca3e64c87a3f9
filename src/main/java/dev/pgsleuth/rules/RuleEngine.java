package dev.pgsleuth.rules;

import dev.pgsleuth.model.Finding;
import dev.pgsleuth.rules.builtin.BuiltinRules;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies the enabled rules, with their effective thresholds, to a statement's context.
 */
public final class RuleEngine {

    private final RuleCatalog catalog;
    private final Map<Rule, RuleSettings> enabled = new LinkedHashMap<>();

    /**
     * @throws IllegalArgumentException when the overrides name an unknown rule or threshold
     */
    public RuleEngine(RuleCatalog catalog, List<Rule> rules, RuleOverrides overrides) {
        this.catalog = catalog;
        Map<String, Rule> byId = new HashMap<>();
        rules.forEach(r -> byId.put(r.id(), r));
        for (String id : overrides.disabled()) {
            if (!byId.containsKey(id)) {
                throw new IllegalArgumentException("cannot disable unknown rule `" + id + "`");
            }
        }
        for (Map.Entry<String, Map<String, Double>> e : overrides.thresholds().entrySet()) {
            RuleDefinition def = catalog.get(e.getKey());
            if (def == null) {
                throw new IllegalArgumentException("thresholds given for unknown rule `" + e.getKey() + "`");
            }
            for (String name : e.getValue().keySet()) {
                if (!def.thresholds().containsKey(name)) {
                    throw new IllegalArgumentException("rule `" + def.id() + "` has no threshold `" + name
                            + "`; it has " + def.thresholds().keySet());
                }
            }
        }
        for (Rule rule : rules) {
            RuleDefinition def = catalog.get(rule.id());
            if (def == null) {
                throw new IllegalStateException("rule " + rule.id() + " has no definition in the catalog");
            }
            if (overrides.disabled().contains(rule.id())) {
                continue;
            }
            Map<String, Double> values = new HashMap<>();
            def.thresholds().forEach((k, v) -> values.put(k, v.defaultValue()));
            values.putAll(overrides.thresholds().getOrDefault(rule.id(), Map.of()));
            enabled.put(rule, new RuleSettings(def, values));
        }
    }

    /** The built-in rules with their packaged definitions. */
    public static RuleEngine builtin(RuleOverrides overrides) {
        List<Rule> rules = BuiltinRules.all();
        return new RuleEngine(RuleCatalog.load(rules.stream().map(Rule::id).toList()), rules, overrides);
    }

    /** The catalog this engine was built from. */
    public RuleCatalog catalog() {
        return catalog;
    }

    /** The settings of each enabled rule, by id. */
    public Map<String, RuleSettings> enabledRules() {
        Map<String, RuleSettings> out = new LinkedHashMap<>();
        enabled.forEach((rule, settings) -> out.put(rule.id(), settings));
        return out;
    }

    /**
     * The findings of all enabled rules for one statement, in catalog order. Finding ids are unique
     * within the result: a second finding of a rule on the same relation gets {@code #2}, and so on.
     */
    public List<Finding> evaluate(RuleContext context) {
        List<Finding> out = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        enabled.forEach((rule, settings) -> {
            for (Finding f : rule.check(context, settings)) {
                int n = seen.merge(f.id(), 1, Integer::sum);
                out.add(n == 1 ? f : new Finding(f.id() + "#" + n, f.rule(), f.category(), f.severity(), f.title(),
                        f.message(), f.fingerprints(), f.tables(), f.firstSeen(), f.lastSeen(), f.evidence(), f.suggestion()));
            }
        });
        return out;
    }
}
