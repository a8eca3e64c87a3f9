package dev.pgsleuth.rules.builtin;

import dev.pgsleuth.model.Finding;
import dev.pgsleuth.model.PlanNode;
import dev.pgsleuth.rules.Rule;
import dev.pgsleuth.rules.RuleContext;
import dev.pgsleuth.rules.RuleSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A nested loop that runs its inner side thousands of times, and spends much of the time there. */
public final class NestedLoopManyInnerScansRule implements Rule {

    @Override
    public String id() {
        return "nested-loop-many-inner-scans";
    }

    @Override
    public List<Finding> check(RuleContext ctx, RuleSettings settings) {
        List<Finding> out = new ArrayList<>();
        double executionMs = ctx.plan().executionMs();
        for (PlanNode node : ctx.plan().nodes()) {
            if (!node.nodeType().equals("Nested Loop") || !node.analyzed() || node.children().size() < 2
                    || executionMs <= 0) {
                continue;
            }
            PlanNode outer = node.children().get(0);
            PlanNode inner = node.children().get(1);
            // the inner side's runs plus the join condition checked on each: everything but the outer side
            double share = Math.max(0, node.inclusiveMs() - outer.inclusiveMs()) / executionMs;
            if (inner.loops() < settings.threshold("min-inner-loops") || share < settings.threshold("min-time-share")) {
                continue;
            }
            String fix;
            if (outer.planRows() > 0 && outer.actualRows() >= 10 * outer.planRows()) {
                fix = "The planner expected " + Findings.count(outer.planRows()) + " outer rows and got "
                        + Findings.count(outer.actualRows()) + ": fix that estimate (ANALYZE, CREATE STATISTICS) so it "
                        + "can choose a hash join.";
            } else if (node.joinFilter() != null) {
                fix = "The join condition `" + node.joinFilter() + "` is checked row by row against every inner row; "
                        + "make it an equality or index the inner columns it compares, so that each loop is an index lookup.";
            } else {
                fix = "Make each inner loop cheap (an index on the inner join columns) or let the planner join the "
                        + "sets at once (a hash join: check the row estimates, or pre-aggregate the inner side in a CTE).";
            }
            String title = "Nested Loop runs `" + inner.label() + "` " + Findings.count(inner.loops()) + " times";
            String message = "Running the inner side and checking the join takes " + Findings.percent(Math.min(1, share)) + " of the execution time, "
                    + "once per row of `" + outer.label() + "`.";
            out.add(Findings.onNode(ctx, settings, node, title, message, fix, null,
                    Map.of("innerLoops", inner.loops(), "innerTimeShare", Findings.round(share),
                            "inner", Findings.nodeEvidence(inner))));
        }
        return out;
    }
}
