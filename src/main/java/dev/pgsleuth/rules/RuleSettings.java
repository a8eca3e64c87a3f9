package dev.pgsleuth.rules;

import java.util.Map;

/**
 * A rule's definition with its thresholds after user overrides: what a rule reads at run time.
 *
 * @param definition the catalog entry
 * @param thresholds effective threshold values by name
 */
public record RuleSettings(RuleDefinition definition, Map<String, Double> thresholds) {

    public RuleSettings {
        thresholds = Map.copyOf(thresholds);
    }

    /** The effective value of a threshold declared in the rule's yml. */
    public double threshold(String name) {
        Double v = thresholds.get(name);
        if (v == null) {
            throw new IllegalArgumentException("rule " + definition.id() + " declares no threshold `" + name + "`");
        }
        return v;
    }
}
