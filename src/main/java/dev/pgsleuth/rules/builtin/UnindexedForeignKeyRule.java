package dev.pgsleuth.rules.builtin;

import dev.pgsleuth.model.Finding;
import dev.pgsleuth.model.PlanNode;
import dev.pgsleuth.rules.CatalogFacts.ForeignKey;
import dev.pgsleuth.rules.Rule;
import dev.pgsleuth.rules.RuleContext;
import dev.pgsleuth.rules.RuleSettings;
import dev.pgsleuth.rules.builtin.Conditions.Condition;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** A join or lookup on a foreign-key column that no index starts with, so every lookup scans the table. */
public final class UnindexedForeignKeyRule implements Rule {

    @Override
    public String id() {
        return "unindexed-foreign-key";
    }

    @Override
    public List<Finding> check(RuleContext ctx, RuleSettings settings) {
        List<Finding> out = new ArrayList<>();
        Set<String> reported = new HashSet<>();
        for (ForeignKey fk : ctx.catalog().foreignKeys()) {
            if (ctx.catalog().coveredByExistingIndex(fk.table(), fk.columns()) || !reported.add(fk.name())) {
                continue;
            }
            for (PlanNode node : ctx.plan().nodes()) {
                if (!node.isSeqScan() || !fk.table().equals(node.relation()) || !usesColumns(ctx, node, fk.columns())) {
                    continue;
                }
                double rows = Math.max(ctx.catalog().rowEstimate(fk.table()),
                        node.analyzed() ? node.totalRowsScanned() : node.planRows());
                if (rows < settings.threshold("min-table-rows")) {
                    continue;
                }
                String cols = String.join(", ", fk.columns().stream().map(Findings::ident).toList());
                String sql = "CREATE INDEX CONCURRENTLY " + Findings.indexName(fk.table(), fk.columns(), "idx")
                        + " ON " + Findings.ident(fk.table()) + " (" + cols + ");";
                String title = "Foreign key `" + fk.table() + "(" + cols + ")` → `" + fk.referencedTable()
                        + "` has no index, and this statement looks rows up by it";
                String message = "`" + node.label() + "` reads all " + Findings.count(rows)
                        + " rows of `" + fk.table() + "` to find the rows of one `" + fk.referencedTable()
                        + "`; joins, N+1 lookups and deletes on `" + fk.referencedTable() + "` all pay this.";
                out.add(Findings.onNode(ctx, settings, node, title, message,
                        "Index the foreign-key columns.", sql,
                        Map.of("foreignKey", fk.name(), "columns", fk.columns(), "referencedTable", fk.referencedTable())));
                break;
            }
        }
        return out;
    }

    /** The scan filters on the columns, or the join right above it compares them. */
    private static boolean usesColumns(RuleContext ctx, PlanNode scan, List<String> columns) {
        Set<String> filtered = new HashSet<>();
        for (Condition c : Conditions.parse(scan.filter())) {
            if (c.column() != null && c.kind() == Conditions.Kind.EQUALITY) {
                filtered.add(c.column());
            }
        }
        if (filtered.containsAll(columns)) {
            return true;
        }
        PlanNode parent = ctx.plan().parentOf(scan);
        for (int up = 0; parent != null && up < 2; up++, parent = ctx.plan().parentOf(parent)) {
            String join = parent.hashCond() != null ? parent.hashCond() : parent.joinFilter();
            if (join == null) {
                continue;
            }
            String qualifier = scan.alias() != null ? scan.alias() : scan.relation();
            boolean all = true;
            for (String column : columns) {
                all &= Pattern.compile("\\b" + Pattern.quote(qualifier) + "\\." + Pattern.quote(column) + "\\b")
                        .matcher(join).find();
            }
            if (all) {
                return true;
            }
        }
        return false;
    }
}
