package dev.pgsleuth.explain;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What checking one suggested index showed, for a finding's {@code evidence.index_check}.
 *
 * @param method     how the index was checked
 * @param sql        the {@code CREATE INDEX} that was checked (as run: without {@code CONCURRENTLY}), or {@code null}
 * @param costBefore the planner's estimated total cost without the index, or {@code null}
 * @param costAfter  the same with the index, or {@code null}
 * @param used       whether the planner picked the index, or {@code null} when not checked
 * @param msBefore   measured execution time without the index ({@link Method#TRANSACTION} only), or {@code null}
 * @param msAfter    measured execution time with the index, or {@code null}
 * @param reason     why the index was not checked, or a note on the check; {@code null} when there is nothing to say
 */
public record IndexCheck(Method method, String sql, Double costBefore, Double costAfter, Boolean used,
                         Double msBefore, Double msAfter, String reason) {

    /** How an index was checked. */
    public enum Method {
        /** Not checked: the suggestion is unverified. */
        NONE,
        /** A hypothetical index (hypopg) and plain {@code EXPLAIN}: estimates, nothing written. */
        HYPOPG,
        /** A real index built in a rolled-back transaction, and {@code EXPLAIN ANALYZE} before and after. */
        TRANSACTION;

        /** The name in the report. */
        public String reportName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static IndexCheck none(String reason) {
        return new IndexCheck(Method.NONE, null, null, null, null, null, null, reason);
    }

    /** True when the index was checked and the planner chose it. */
    public boolean verified() {
        return method != Method.NONE && Boolean.TRUE.equals(used);
    }

    /** The check as evidence: {@code method}, then whichever of the other fields are known. */
    public Map<String, Object> evidence() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("method", method.reportName());
        putIfKnown(out, "sql", sql);
        putIfKnown(out, "cost_before", costBefore);
        putIfKnown(out, "cost_after", costAfter);
        putIfKnown(out, "used", used);
        putIfKnown(out, "ms_before", msBefore);
        putIfKnown(out, "ms_after", msAfter);
        putIfKnown(out, "reason", reason);
        return out;
    }

    private static void putIfKnown(Map<String, Object> out, String key, Object value) {
        if (value != null) {
            out.put(key, value);
        }
    }
}
