package dev.pgsleuth.rules.builtin;

import dev.pgsleuth.model.Finding;
import dev.pgsleuth.model.PlanNode;
import dev.pgsleuth.rules.Rule;
import dev.pgsleuth.rules.RuleContext;
import dev.pgsleuth.rules.RuleSettings;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A statement that ships many rows to the application with no aggregation and no LIMIT. */
public final class HeavyInAppRule implements Rule {

    private static final Set<String> REDUCING = Set.of("Aggregate", "Group", "Limit", "WindowAgg");

    @Override
    public String id() {
        return "heavy-in-app";
    }

    @Override
    public List<Finding> check(RuleContext ctx, RuleSettings settings) {
        PlanNode root = ctx.plan().root();
        if (!root.analyzed() || root.totalActualRows() < settings.threshold("min-rows")) {
            return List.of();
        }
        if (ctx.shape() != null && (ctx.shape().hasAggregate() || ctx.shape().hasLimit())) {
            return List.of();
        }
        for (PlanNode n : ctx.plan().nodes()) {
            if (REDUCING.contains(n.nodeType()) && !"InitPlan".equals(n.parentRelationship())
                    && !"SubPlan".equals(n.parentRelationship())) {
                return List.of();
            }
        }
        String title = "The statement sends " + Findings.count(root.totalActualRows()) + " rows to the application";
        String message = "Rows shipped to the application only to be summed, counted, filtered or paged there cost "
                + "network, memory and ORM object creation for every row.";
        String fix = "Do the work in SQL: aggregate with SUM/COUNT/GROUP BY, filter with WHERE, or paginate with "
                + "LIMIT and a keyset (`WHERE id > $last ORDER BY id LIMIT n`).";
        return List.of(Findings.onNode(ctx, settings, root, title, message, fix, null,
                Map.of("rowsReturned", root.totalActualRows())));
    }
}
