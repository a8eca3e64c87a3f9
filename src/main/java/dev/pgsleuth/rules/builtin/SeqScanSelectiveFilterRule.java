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

/** A sequential scan that throws away most of a big table to keep a few rows: an index is missing. */
public final class SeqScanSelectiveFilterRule implements Rule {

    @Override
    public String id() {
        return "seq-scan-selective-filter";
    }

    @Override
    public List<Finding> check(RuleContext ctx, RuleSettings settings) {
        List<Finding> out = new ArrayList<>();
        for (PlanNode node : ctx.plan().nodes()) {
            if (!node.isSeqScan() || !node.analyzed() || node.filter() == null || node.relation() == null
                    || Conditions.hasTopLevelOr(node.filter())) {
                continue;
            }
            double removed = node.totalRowsRemovedByFilter();
            double kept = node.totalActualRows();
            if (removed < settings.threshold("min-rows-removed")
                    || kept / (kept + removed) > settings.threshold("max-selectivity")) {
                continue;
            }
            IndexAdvice advice = advise(ctx, node, Conditions.parse(node.filter()),
                    settings.threshold("max-distinct-for-partial"), (int) settings.threshold("max-include-columns"));
            if (advice == null || ctx.catalog().coveredByExistingIndex(node.relation(), advice.columns(), advice.equalityColumns())) {
                continue;
            }
            String title = "Seq Scan on `" + node.relation() + "` reads " + Findings.count(kept + removed)
                    + " rows to return " + Findings.count(kept);
            String message = "The filter `" + node.filter() + "` removes " + Findings.percent(removed / (kept + removed))
                    + " of the rows it reads, and no index serves it.";
            String fix = "Create an index on " + String.join(", ", advice.columns().stream().map(c -> "`" + c + "`").toList())
                    + (advice.predicate() == null ? "" : ", partial on `" + advice.predicate() + "`")
                    + (advice.include().isEmpty() ? "." : ", including `" + String.join("`, `", advice.include())
                    + "` so that an index-only scan can answer the statement.");
            out.add(Findings.onNode(ctx, settings, node, title, message, fix, advice.sql(),
                    Map.of("rowsRemovedByFilter", removed, "rowsReturned", kept, "filter", node.filter())));
        }
        return out;
    }

    /** The index for a scan's filter, or {@code null} when no condition can use a btree index. */
    static IndexAdvice advise(RuleContext ctx, PlanNode node, List<Condition> conditions, double maxDistinctForPartial,
                              int maxIncludeColumns) {
        String table = node.relation();
        LinkedHashSet<String> equality = new LinkedHashSet<>();
        String range = null;
        List<String> predicate = new ArrayList<>();
        List<String> predicateColumns = new ArrayList<>();
        for (Condition c : conditions) {
            if (c.column() == null || c.function() != null) {
                continue;
            }
            double distinct = ctx.catalog().distinctValues(table, c.column());
            boolean fewValues = distinct > 0 && distinct <= maxDistinctForPartial;
            if (c.kind() == Kind.NULL_TEST || c.kind() == Kind.BOOLEAN
                    || (c.kind() == Kind.EQUALITY && c.constantValue() && fewValues)) {
                predicate.add(predicate(c));
                predicateColumns.add(c.column());
            } else if (c.kind() == Kind.EQUALITY) {
                equality.add(c.column());
            } else if (c.kind() == Kind.RANGE && range == null) {
                range = c.column();
            }
        }
        List<String> columns = new ArrayList<>(equality);
        if (range != null && !columns.contains(range)) {
            columns.add(range);
        }
        int equalityColumns = equality.size();
        String where = null;
        if (columns.isEmpty()) {
            if (predicateColumns.isEmpty()) {
                return null;
            }
            columns.addAll(new LinkedHashSet<>(predicateColumns));
            equalityColumns = columns.size();
        } else if (!predicate.isEmpty()) {
            where = String.join(" AND ", predicate);
        }
        List<String> include = include(node, columns, maxIncludeColumns);
        String name = Findings.indexName(table, columns, where == null ? "idx" : "partial_idx");
        String sql = "CREATE INDEX CONCURRENTLY " + name + " ON " + Findings.ident(table) + " ("
                + String.join(", ", columns.stream().map(Findings::ident).toList()) + ")"
                + (include.isEmpty() ? "" : " INCLUDE (" + String.join(", ", include.stream().map(Findings::ident).toList()) + ")")
                + (where == null ? "" : " WHERE " + where) + ";";
        return new IndexAdvice(columns, equalityColumns, include, where, sql);
    }

    /** The condition as an unqualified predicate (an index predicate names the table's own columns). */
    private static String predicate(Condition c) {
        String column = Findings.ident(c.column());
        return switch (c.kind()) {
            case NULL_TEST -> "(" + column + " " + c.operator() + ")";
            case BOOLEAN -> c.operator().isEmpty() ? column : "(NOT " + column + ")";
            default -> "(" + column + " " + c.operator() + " " + c.value() + ")";
        };
    }

    /**
     * The scan's other output columns, when there are only a few plain ones: stored in the index
     * with INCLUDE, they let an index-only scan answer the statement without visiting the table.
     */
    private static List<String> include(PlanNode node, List<String> keys, int max) {
        List<String> extra = new ArrayList<>();
        String prefix = (node.alias() != null ? node.alias() : node.relation()) + ".";
        for (String out : node.output()) {
            String column = out.startsWith(prefix) ? out.substring(prefix.length()) : out;
            if (!column.matches("[a-z_][a-z0-9_]*")) {
                return List.of();
            }
            if (!keys.contains(column) && !extra.contains(column)) {
                extra.add(column);
            }
        }
        return extra.size() <= max ? extra : List.of();
    }

    /**
     * An index to suggest: key columns (the first {@code equalityColumns} compared by equality),
     * INCLUDE columns, optional partial predicate, and the statement.
     */
    record IndexAdvice(List<String> columns, int equalityColumns, List<String> include, String predicate, String sql) {
    }
}
