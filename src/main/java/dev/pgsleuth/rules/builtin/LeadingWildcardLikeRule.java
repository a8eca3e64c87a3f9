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

/** {@code LIKE '%…'} on a big table: no btree index can serve a pattern that starts with a wildcard. */
public final class LeadingWildcardLikeRule implements Rule {

    @Override
    public String id() {
        return "leading-wildcard-like";
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
                if (c.kind() != Conditions.Kind.LIKE || c.column() == null || c.value() == null
                        || !(c.value().startsWith("'%") || c.value().startsWith("'_"))
                        || hasTrigramIndex(ctx.catalog(), node.relation(), c.column())) {
                    continue;
                }
                String table = node.relation();
                String sql = "CREATE EXTENSION IF NOT EXISTS pg_trgm;\nCREATE INDEX CONCURRENTLY "
                        + Findings.indexName(table, List.of(c.column()), "trgm_idx") + " ON " + Findings.ident(table)
                        + " USING gin (" + Findings.ident(c.column()) + " gin_trgm_ops);";
                String title = "`" + c.column() + " " + (c.operator().equals("~~*") ? "ILIKE" : "LIKE") + " "
                        + c.bareValue() + "` starts with a wildcard, so `" + table + "` is scanned row by row";
                String message = "`" + node.label() + "` tested " + Findings.count(scanned) + " rows against the pattern.";
                out.add(Findings.onNode(ctx, settings, node, title, message,
                        "A trigram GIN index (pg_trgm) serves LIKE and ILIKE with any wildcard position.", sql,
                        Map.of("column", c.column(), "pattern", c.bareValue(), "rowsScanned", scanned)));
                break;
            }
        }
        return out;
    }

    private static boolean hasTrigramIndex(CatalogFacts catalog, String table, String column) {
        for (CatalogFacts.Index index : catalog.indexesOn(table)) {
            if (index.valid() && index.definition() != null && index.definition().contains("trgm_ops")
                    && index.columns().contains(column)) {
                return true;
            }
        }
        return false;
    }
}
