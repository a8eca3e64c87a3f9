package dev.pgsleuth.rules.builtin;

import dev.pgsleuth.model.Finding;
import dev.pgsleuth.model.PlanNode;
import dev.pgsleuth.rules.CatalogFacts;
import dev.pgsleuth.rules.Rule;
import dev.pgsleuth.rules.RuleContext;
import dev.pgsleuth.rules.RuleSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A sort that did not fit in work_mem and went to temporary files. */
public final class SortSpillsToDiskRule implements Rule {

    private static final Pattern PLAIN_KEY = Pattern.compile("^(?:\\w+\\.)?(\\w+)( DESC)?$");

    @Override
    public String id() {
        return "sort-spills-to-disk";
    }

    @Override
    public List<Finding> check(RuleContext ctx, RuleSettings settings) {
        List<Finding> out = new ArrayList<>();
        for (PlanNode node : ctx.plan().nodes()) {
            boolean disk = "Disk".equals(node.sortSpaceType())
                    || (node.sortMethod() != null && node.sortMethod().startsWith("external"));
            if (!node.nodeType().equals("Sort") || !disk || node.sortSpaceKb() < settings.threshold("min-disk-kb")) {
                continue;
            }
            long workMemMb = Math.max(1, (long) Math.ceil(node.sortSpaceKb() * settings.threshold("memory-factor") / 1024.0));
            PlanNode parent = ctx.plan().parentOf(node);
            String table = singleRelation(node);
            List<String> keys = plainKeys(node.sortKey());
            String fix;
            String sql;
            if (parent != null && parent.nodeType().equals("Limit") && table != null && keys != null
                    && !servedByExistingIndex(ctx.catalog(), table, node.sortKey())) {
                fix = "The statement keeps only the first rows of the sort: an index in the ORDER BY order lets "
                        + "PostgreSQL read them in order and stop early, with no sort at all.";
                sql = "CREATE INDEX CONCURRENTLY " + Findings.indexName(table,
                        keys.stream().map(k -> k.replace(" DESC", "")).toList(), "idx")
                        + " ON " + Findings.ident(table) + " (" + String.join(", ", keys) + ");";
            } else {
                fix = "Give this statement about " + workMemMb + " MB of work_mem (in its transaction, not "
                        + "server-wide: work_mem is per sort, per connection), or sort fewer rows.";
                sql = "SET LOCAL work_mem = '" + workMemMb + "MB';";
            }
            String title = "Sort spills " + Findings.count(node.sortSpaceKb()) + " kB to disk (`" + node.sortMethod() + "`)";
            String message = "Sorting " + Findings.count(Math.max(0, node.totalActualRows())) + " rows by `"
                    + String.join(", ", node.sortKey()) + "` did not fit in work_mem, so PostgreSQL wrote "
                    + "temporary files.";
            out.add(Findings.onNode(ctx, settings, node, title, message, fix, sql,
                    Map.of("sortMethod", String.valueOf(node.sortMethod()), "sortSpaceKb", node.sortSpaceKb(),
                            "sortKey", node.sortKey(), "suggestedWorkMemMb", workMemMb)));
        }
        return out;
    }

    /**
     * True when a valid, non-partial btree index starts with the sort keys in their order, with every
     * direction as asked or every direction reversed (read backwards): a new index would repeat it.
     * The planner chose to sort anyway, so a work_mem figure is the advice left.
     */
    private static boolean servedByExistingIndex(CatalogFacts catalog, String table, List<String> sortKey) {
        List<String> columns = new ArrayList<>();
        List<Boolean> descending = new ArrayList<>();
        for (String key : sortKey) {
            Matcher m = PLAIN_KEY.matcher(key.strip());
            if (!m.matches()) {
                return false;
            }
            columns.add(m.group(1));
            descending.add(m.group(2) != null);
        }
        for (CatalogFacts.Index index : catalog.indexesOn(table)) {
            if (!index.valid() || index.partial() || !index.method().equals("btree")
                    || index.columns().size() < columns.size()
                    || !index.columns().subList(0, columns.size()).equals(columns)) {
                continue;
            }
            int same = 0;
            for (int i = 0; i < columns.size(); i++) {
                if (descending.get(i) == descendingInIndex(index.definition(), columns.get(i))) {
                    same++;
                }
            }
            if (same == 0 || same == columns.size()) {
                return true;
            }
        }
        return false;
    }

    private static boolean descendingInIndex(String definition, String column) {
        return definition != null && Pattern.compile("[(,]\\s*\"?" + Pattern.quote(column) + "\"?\\s+DESC\\b")
                .matcher(definition).find();
    }

    private static String singleRelation(PlanNode node) {
        String found = null;
        for (PlanNode n : node.descendantsAndSelf()) {
            if (n.relation() != null) {
                if (found != null && !found.equals(n.relation())) {
                    return null;
                }
                found = n.relation();
            }
        }
        return found;
    }

    /** The sort keys as index columns, or {@code null} when one is an expression. */
    private static List<String> plainKeys(List<String> sortKey) {
        List<String> out = new ArrayList<>();
        for (String key : sortKey) {
            Matcher m = PLAIN_KEY.matcher(key.strip());
            if (!m.matches()) {
                return null;
            }
            out.add(Findings.ident(m.group(1)) + (m.group(2) == null ? "" : " DESC"));
        }
        return out.isEmpty() ? null : out;
    }
}
