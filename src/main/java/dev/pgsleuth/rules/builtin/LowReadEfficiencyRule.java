package dev.pgsleuth.rules.builtin;

import dev.pgsleuth.model.Finding;
import dev.pgsleuth.model.PlanNode;
import dev.pgsleuth.rules.Rule;
import dev.pgsleuth.rules.RuleContext;
import dev.pgsleuth.rules.RuleSettings;
import dev.pgsleuth.rules.builtin.Conditions.Condition;
import dev.pgsleuth.rules.builtin.Conditions.Kind;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** An index scan that fetches many rows only to throw most away in its Filter: the index is too coarse. */
public final class LowReadEfficiencyRule implements Rule {

    private static final Set<String> INDEX_SCANS = Set.of("Index Scan", "Index Only Scan", "Bitmap Heap Scan");

    @Override
    public String id() {
        return "low-read-efficiency";
    }

    @Override
    public List<Finding> check(RuleContext ctx, RuleSettings settings) {
        List<Finding> out = new ArrayList<>();
        for (PlanNode node : ctx.plan().nodes()) {
            if (!INDEX_SCANS.contains(node.nodeType()) || !node.analyzed() || node.relation() == null) {
                continue;
            }
            double removed = (node.rowsRemovedByFilter() + node.rowsRemovedByIndexRecheck()) * node.loops();
            double kept = node.totalActualRows();
            double efficiency = kept / Math.max(1, kept + removed);
            if (removed < settings.threshold("min-rows-removed") || efficiency > settings.threshold("max-efficiency")) {
                continue;
            }
            LinkedHashSet<String> equality = new LinkedHashSet<>();
            LinkedHashSet<String> ranges = new LinkedHashSet<>();
            String indexed = node.indexCond() != null ? node.indexCond() : node.recheckCond();
            for (String text : new String[] {node.filter(), indexed}) {
                for (Condition c : Conditions.parse(text)) {
                    if (c.column() == null || c.function() != null) {
                        continue;
                    }
                    if (c.kind() == Kind.EQUALITY) {
                        equality.add(c.column());
                    } else if (c.kind() == Kind.RANGE) {
                        ranges.add(c.column());
                    }
                }
            }
            List<String> columns = new ArrayList<>(equality);
            ranges.stream().filter(r -> !equality.contains(r)).findFirst().ifPresent(columns::add);
            String sql = null;
            if (columns.size() >= 2 && !ctx.catalog().coveredByExistingIndex(node.relation(), columns, equality.size())) {
                sql = "CREATE INDEX CONCURRENTLY " + Findings.indexName(node.relation(), columns, "idx") + " ON "
                        + Findings.ident(node.relation()) + " (" + String.join(", ", columns.stream().map(Findings::ident).toList()) + ");";
            }
            String title = "`" + node.label() + "` keeps " + Findings.percent(efficiency) + " of the rows it fetches";
            String message = "It fetched " + Findings.count(kept + removed) + " rows through the index and its filter `"
                    + node.filter() + "` removed " + Findings.count(removed) + ".";
            String fix = sql != null
                    ? "Put the filtered columns into the index (equality columns first, then the range), so the index finds only the rows kept."
                    : "Use an index that covers the filtered columns, or a partial index on the filter.";
            out.add(Findings.onNode(ctx, settings, node, title, message, fix, sql,
                    Map.of("rowsRemoved", removed, "rowsReturned", kept, "efficiency", Findings.round(efficiency))));
        }
        return out;
    }
}
