package dev.pgsleuth.rules.builtin;

import dev.pgsleuth.model.Finding;
import dev.pgsleuth.model.PlanNode;
import dev.pgsleuth.rules.Rule;
import dev.pgsleuth.rules.RuleContext;
import dev.pgsleuth.rules.RuleSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** OFFSET pagination: the rows before the page are produced and thrown away on every page. */
public final class LargeOffsetRule implements Rule {

    private static final Pattern OFFSET = Pattern.compile("(?i)\\boffset\\b");

    @Override
    public String id() {
        return "large-offset";
    }

    @Override
    public List<Finding> check(RuleContext ctx, RuleSettings settings) {
        List<Finding> out = new ArrayList<>();
        if (!OFFSET.matcher(ctx.sql()).find()) {
            return out;
        }
        for (PlanNode node : ctx.plan().nodes()) {
            if (!node.nodeType().equals("Limit") || !node.analyzed() || node.children().isEmpty()) {
                continue;
            }
            double produced = node.children().get(0).totalActualRows();
            double skipped = produced - node.totalActualRows();
            if (skipped < settings.threshold("min-rows-skipped")) {
                continue;
            }
            String title = "OFFSET discards " + Findings.count(skipped) + " rows to return " + Findings.count(node.totalActualRows());
            String message = "Each page reads every row of the pages before it, so later pages get slower and slower.";
            String fix = "Paginate by key: remember the ORDER BY value of the page's last row and ask for the rows "
                    + "after it (`WHERE (created_at, id) > ($last_created_at, $last_id) ORDER BY created_at, id LIMIT n`), "
                    + "with an index on the ORDER BY columns.";
            out.add(Findings.onNode(ctx, settings, node, title, message, fix, null,
                    Map.of("rowsSkipped", skipped, "rowsReturned", node.totalActualRows())));
        }
        return out;
    }
}
