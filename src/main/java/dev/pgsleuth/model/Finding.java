package dev.pgsleuth.model;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * One piece of advice in the report's {@code findings[]}: what is wrong, the evidence, and the fix.
 *
 * @param id           stable id of this finding: rule id plus the fingerprints involved, so that a
 *                     baseline report can recognize it in a later run
 * @param rule         rule id, kebab-case ({@code n-plus-one}, {@code seq-scan-selective-filter})
 * @param category     {@code n-plus-one}, {@code duplicate-query}, {@code index}, {@code plan},
 *                     {@code heavy-in-app}, …
 * @param severity     severity
 * @param title        one sentence saying what is wrong
 * @param message      the explanation, with identifiers in backticks
 * @param fingerprints fingerprints of the shapes involved
 * @param tables       tables involved
 * @param firstSeen    first time the problem was seen in the log, or {@code null}
 * @param lastSeen     last time the problem was seen in the log, or {@code null}
 * @param evidence     rule-specific evidence, serialized as a JSON object (insertion order kept)
 * @param suggestion   the fix
 */
public record Finding(
        String id,
        String rule,
        String category,
        FindingSeverity severity,
        String title,
        String message,
        List<String> fingerprints,
        List<String> tables,
        OffsetDateTime firstSeen,
        OffsetDateTime lastSeen,
        Map<String, Object> evidence,
        Suggestion suggestion) {

    /**
     * The fix: prose for the developer, and SQL ready to paste (or {@code null}).
     */
    public record Suggestion(String text, String sql) {
    }
}
