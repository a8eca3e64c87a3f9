package dev.pgsleuth.rules;

import dev.pgsleuth.model.FindingSeverity;
import java.util.List;
import java.util.Map;

/**
 * What {@code rules/<id>.yml} says about a rule: its user-facing text and tunable thresholds.
 *
 * @param id         kebab-case id
 * @param category   {@code index}, {@code plan} or {@code heavy-in-app}
 * @param severity   default severity of its findings
 * @param summary    one sentence
 * @param thresholds tunable numbers, by kebab-case name, in file order
 * @param problem    the anti-pattern, in prose
 * @param fix        the better pattern, in prose
 * @param references links
 */
public record RuleDefinition(String id, String category, FindingSeverity severity, String summary,
                             Map<String, Threshold> thresholds, String problem, String fix,
                             List<String> references) {

    /**
     * A tunable number.
     *
     * @param defaultValue the value used unless overridden
     * @param description  what it means, with its unit
     */
    public record Threshold(double defaultValue, String description) {
    }
}
