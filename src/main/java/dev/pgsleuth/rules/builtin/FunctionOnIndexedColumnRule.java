package dev.pgsleuth.rules.builtin;

import dev.pgsleuth.model.Finding;
import dev.pgsleuth.model.PlanNode;
import dev.pgsleuth.rules.CatalogFacts;
import dev.pgsleuth.rules.Rule;
import dev.pgsleuth.rules.RuleContext;
import dev.pgsleuth.rules.RuleSettings;
import dev.pgsleuth.rules.builtin.Conditions.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** {@code lower(email) = …}: the column is indexed, but not the expression the query compares. */
public final class FunctionOnIndexedColumnRule implements Rule {

    @Override
    public String id() {
        return "function-on-indexed-column";
    }

    @Override
    public List<Finding> check(RuleContext ctx, RuleSettings settings) {
        List<Finding> out = new ArrayList<>();
        for (PlanNode node : ctx.plan().nodes()) {
            if (node.relation() == null || node.filter() == null || !node.analyzed()) {
                continue;
            }
            double scanned = node.totalRowsScanned();
            if (scanned < settings.threshold("min-rows-scanned")) {
                continue;
            }
            for (Condition c : Conditions.parse(node.filter())) {
                if (c.function() == null || c.column() == null
                        || !ctx.catalog().hasIndexLeadingWith(node.relation(), c.column())
                        || hasExpressionIndex(ctx.catalog(), node.relation(), c.function(), c.column())) {
                    continue;
                }
                String table = node.relation();
                String expression = c.function() + "(" + Findings.ident(c.column()) + ")";
                String sql = "CREATE INDEX CONCURRENTLY " + Findings.indexName(table, List.of(c.function(), c.column()), "idx")
                        + " ON " + Findings.ident(table) + " ((" + expression + "));";
                String title = "`" + expression + "` hides the index on `" + table + "." + c.column() + "`";
                String message = "An index on `" + c.column() + "` cannot serve a condition on `" + expression
                        + "`, so `" + node.label() + "` computed it for " + Findings.count(scanned) + " rows.";
                out.add(Findings.onNode(ctx, settings, node, title, message,
                        "Index the expression itself (or store the value already transformed and compare the column).",
                        sql, Map.of("column", c.column(), "function", c.function(), "rowsScanned", scanned)));
                break;
            }
        }
        return out;
    }

    /**
     * True when a valid index already has {@code function(column)} as a key, as {@code pg_get_indexdef}
     * prints it ({@code lower(email)}, or {@code lower((email)::text)} for a varchar): the planner
     * chose not to use it, and a second one would not change that.
     */
    private static boolean hasExpressionIndex(CatalogFacts catalog, String table, String function, String column) {
        Pattern key = Pattern.compile("\\b" + Pattern.quote(function) + "\\(\\(?\"?" + Pattern.quote(column) + "\\b");
        for (CatalogFacts.Index index : catalog.indexesOn(table)) {
            if (index.valid() && !index.partial() && index.columns().contains(null) && index.definition() != null
                    && key.matcher(index.definition()).find()) {
                return true;
            }
        }
        return false;
    }
}
