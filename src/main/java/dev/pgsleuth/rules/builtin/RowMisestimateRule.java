package dev.pgsleuth.rules.builtin;

import dev.pgsleuth.model.Finding;
import dev.pgsleuth.model.PlanNode;
import dev.pgsleuth.rules.Rule;
import dev.pgsleuth.rules.RuleContext;
import dev.pgsleuth.rules.RuleSettings;
import dev.pgsleuth.rules.builtin.Conditions.Condition;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * A node whose actual row count is far from the planner's estimate. Only the lowest such node of a
 * branch is reported: the nodes above inherit its error.
 */
public final class RowMisestimateRule implements Rule {

    @Override
    public String id() {
        return "row-misestimate";
    }

    @Override
    public List<Finding> check(RuleContext ctx, RuleSettings settings) {
        List<Finding> out = new ArrayList<>();
        double minFactor = settings.threshold("min-factor");
        double minRows = settings.threshold("min-rows");
        for (PlanNode node : ctx.plan().nodes()) {
            if (!misestimated(node, minFactor, minRows)
                    || node.children().stream().anyMatch(c -> misestimated(c, minFactor, minRows))) {
                continue;
            }
            double factor = factor(node);
            boolean under = node.actualRows() > node.planRows();
            LinkedHashSet<String> columns = new LinkedHashSet<>();
            for (Condition c : Conditions.parse(node.filter() != null ? node.filter() : node.indexCond())) {
                if (c.column() != null) {
                    columns.add(c.column());
                }
            }
            String table = node.relation();
            String sql;
            String fix;
            if (table != null && columns.size() >= 2) {
                List<String> cols = new ArrayList<>(columns);
                sql = "CREATE STATISTICS " + Findings.indexName(table, cols, "stats") + " (dependencies, ndistinct) ON "
                        + String.join(", ", cols.stream().map(Findings::ident).toList()) + " FROM " + Findings.ident(table)
                        + ";\nANALYZE " + Findings.ident(table) + ";";
                fix = "The planner multiplies the selectivities of `" + String.join("`, `", cols) + "` as if they were "
                        + "independent; extended statistics tell it they are correlated.";
            } else if (table != null) {
                sql = "ANALYZE " + Findings.ident(table) + ";";
                fix = "Refresh the statistics of `" + table + "`; if the estimate stays wrong, raise the column's "
                        + "statistics target (ALTER TABLE … ALTER COLUMN … SET STATISTICS 1000).";
            } else {
                sql = null;
                fix = "Refresh the statistics of the tables below this node (ANALYZE); a join estimate this far off "
                        + "usually comes from a misestimate of one of its inputs or from correlated join columns.";
            }
            String title = "`" + node.label() + "` returned " + Findings.count(node.actualRows()) + " rows per loop; the planner "
                    + "expected " + Findings.count(node.planRows()) + " (" + Math.round(factor) + "× "
                    + (under ? "under" : "over") + "estimate)";
            String message = "Plans built on a wrong row count pick the wrong join method, join order or memory size.";
            out.add(Findings.onNode(ctx, settings, node, title, message, fix, sql,
                    Map.of("factor", Findings.round(factor), "direction", under ? "under" : "over")));
        }
        return out;
    }

    private static boolean misestimated(PlanNode n, double minFactor, double minRows) {
        return n.analyzed() && n.loops() > 0 && n.planRows() >= 0
                && Math.max(n.actualRows(), n.planRows()) >= minRows && factor(n) >= minFactor
                && !n.nodeType().equals("Limit");
    }

    private static double factor(PlanNode n) {
        double a = Math.max(n.actualRows(), 1);
        double p = Math.max(n.planRows(), 1);
        return Math.max(a / p, p / a);
    }
}
