package dev.pgsleuth.rules.builtin;

import dev.pgsleuth.model.Finding;
import dev.pgsleuth.model.PlanNode;
import dev.pgsleuth.rules.RuleContext;
import dev.pgsleuth.rules.RuleSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds a finding on one plan node with the evidence every plan rule reports. */
final class Findings {

    private Findings() {
    }

    static Finding onNode(RuleContext ctx, RuleSettings settings, PlanNode node, String title, String message,
                          String fix, String sql, Map<String, Object> details) {
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("node", nodeEvidence(node));
        evidence.put("explain", ctx.plan().generic() ? "GENERIC_PLAN" : "ANALYZE, BUFFERS");
        evidence.put("generic", ctx.plan().generic());
        if (!ctx.plan().settings().isEmpty()) {
            evidence.put("settings", ctx.plan().settings());
        }
        if (ctx.plan().executionMs() >= 0) {
            evidence.put("executionMs", round(ctx.plan().executionMs()));
        }
        evidence.putAll(details);
        if (sql != null && sql.contains("CREATE INDEX")) {
            // no hypothetical-index check (hypopg) has been made: the planner may still prefer another path
            evidence.put("indexVerified", false);
        }
        String id = settings.definition().id() + ":" + ctx.fingerprint() + ":"
                + (node.relation() != null ? node.relation() : node.nodeType().replace(' ', '-').toLowerCase());
        List<String> tables = node.relation() == null ? List.of() : List.of(node.relation());
        return new Finding(id, settings.definition().id(), settings.definition().category(),
                settings.definition().severity(), title, message,
                ctx.fingerprint().isEmpty() ? List.of() : List.of(ctx.fingerprint()), tables, null, null,
                evidence, new Finding.Suggestion(fix, sql));
    }

    static Map<String, Object> nodeEvidence(PlanNode node) {
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("id", node.id());
        n.put("type", node.nodeType());
        if (node.relation() != null) {
            n.put("relation", node.relation());
        }
        if (node.index() != null) {
            n.put("index", node.index());
        }
        n.put("planRows", node.planRows());
        if (node.analyzed()) {
            n.put("actualRows", node.actualRows());
            n.put("loops", node.loops());
            n.put("timeShare", round(node.timeShare()));
            n.put("exclusiveMs", round(node.exclusiveMs()));
        }
        return n;
    }

    static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }

    /** A whole number for prose: 300000 → {@code 300,000}. */
    static String count(double v) {
        return String.format(java.util.Locale.ROOT, "%,d", Math.round(v));
    }

    static String percent(double fraction) {
        double p = fraction * 100;
        if (p >= 99.5 && p < 100) {
            // 99.6% is not "all": keep a decimal where rounding would claim 100%
            return String.format(java.util.Locale.ROOT, "%.1f%%", Math.min(p, 99.9));
        }
        return String.format(java.util.Locale.ROOT, "%.0f%%", p);
    }

    /** An index name PostgreSQL would accept: {@code <table>_<col>_<col>_idx}, at most 63 bytes. */
    static String indexName(String table, List<String> columns, String suffix) {
        String name = table + "_" + String.join("_", columns) + "_" + suffix;
        name = name.replaceAll("[^A-Za-z0-9_]", "_");
        return name.length() > 63 ? name.substring(0, 63) : name;
    }

    static String ident(String name) {
        return name.matches("[a-z_][a-z0-9_$]*") ? name : "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
