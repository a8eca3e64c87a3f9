package dev.pgsleuth.rules;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A user's changes to the catalog, from a config map such as:
 *
 * <pre>
 * disabled: [large-offset]
 * thresholds:
 *   seq-scan-selective-filter:
 *     min-rows-removed: 5000
 * </pre>
 *
 * Unknown rules and thresholds are rejected by {@link RuleEngine}, so that a typo does not go
 * unnoticed.
 */
public final class RuleOverrides {

    private final Set<String> disabled;
    private final Map<String, Map<String, Double>> thresholds;

    private RuleOverrides(Set<String> disabled, Map<String, Map<String, Double>> thresholds) {
        this.disabled = Set.copyOf(disabled);
        this.thresholds = Map.copyOf(thresholds);
    }

    /** No overrides. */
    public static RuleOverrides none() {
        return new RuleOverrides(Set.of(), Map.of());
    }

    /**
     * Reads overrides from a config map with the optional keys {@code disabled} (a list of rule
     * ids) and {@code thresholds} (rule id → threshold name → number).
     *
     * @throws IllegalArgumentException on a value of the wrong type
     */
    public static RuleOverrides fromMap(Map<String, ?> config) {
        Set<String> disabled = new HashSet<>();
        Map<String, Map<String, Double>> thresholds = new HashMap<>();
        for (Map.Entry<String, ?> e : config.entrySet()) {
            switch (e.getKey()) {
                case "disabled" -> {
                    if (!(e.getValue() instanceof Collection<?> ids)) {
                        throw new IllegalArgumentException("rules.disabled must be a list of rule ids");
                    }
                    ids.forEach(id -> disabled.add(String.valueOf(id)));
                }
                case "thresholds" -> {
                    if (!(e.getValue() instanceof Map<?, ?> perRule)) {
                        throw new IllegalArgumentException("rules.thresholds must map rule ids to thresholds");
                    }
                    for (Map.Entry<?, ?> r : perRule.entrySet()) {
                        if (!(r.getValue() instanceof Map<?, ?> values)) {
                            throw new IllegalArgumentException("rules.thresholds." + r.getKey() + " must be a map");
                        }
                        Map<String, Double> parsed = new HashMap<>();
                        for (Map.Entry<?, ?> v : values.entrySet()) {
                            parsed.put(String.valueOf(v.getKey()), number(r.getKey() + "." + v.getKey(), v.getValue()));
                        }
                        thresholds.put(String.valueOf(r.getKey()), parsed);
                    }
                }
                default -> throw new IllegalArgumentException("unknown rules setting `" + e.getKey()
                        + "` (expected `disabled` or `thresholds`)");
            }
        }
        return new RuleOverrides(disabled, thresholds);
    }

    private static double number(String name, Object value) {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(String.valueOf(value));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("threshold " + name + " must be a number, got `" + value + "`");
        }
    }

    Set<String> disabled() {
        return disabled;
    }

    Map<String, Map<String, Double>> thresholds() {
        return thresholds;
    }
}
