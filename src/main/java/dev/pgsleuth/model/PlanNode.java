package dev.pgsleuth.model;

import java.util.List;

/**
 * One node of a PostgreSQL plan, from {@code EXPLAIN (FORMAT JSON)}. Absent numbers are -1 (for
 * example every {@code actual*} value when the plan was not run with ANALYZE); absent texts are
 * {@code null}. Row counts are per loop, as PostgreSQL reports them.
 *
 * @param id                       position in a pre-order walk of the plan, 0 for the root
 * @param nodeType                 {@code Seq Scan}, {@code Hash Join}, …
 * @param parentRelationship       {@code Outer}, {@code Inner}, {@code InitPlan}, {@code SubPlan}, … or {@code null}
 * @param relation                 relation name of a scan
 * @param alias                    alias of the scanned relation
 * @param index                    index name of an index scan
 * @param joinType                 {@code Inner}, {@code Left}, … for joins
 * @param strategy                 {@code Plain}, {@code Sorted}, {@code Hashed} for aggregates
 * @param filter                   {@code Filter} expression
 * @param indexCond                {@code Index Cond}
 * @param recheckCond              {@code Recheck Cond}
 * @param hashCond                 {@code Hash Cond}
 * @param joinFilter               {@code Join Filter}
 * @param rowsRemovedByFilter      per loop
 * @param rowsRemovedByJoinFilter  per loop
 * @param rowsRemovedByIndexRecheck per loop
 * @param planRows                 estimated rows per loop
 * @param actualRows               actual rows per loop
 * @param loops                    actual loops
 * @param startupCost              estimated startup cost
 * @param totalCost                estimated total cost
 * @param actualStartupMs          actual startup time per loop, ms
 * @param actualTotalMs            actual total time per loop, ms
 * @param sharedHitBlocks          shared buffers hit
 * @param sharedReadBlocks         shared buffers read
 * @param tempReadBlocks           temporary blocks read
 * @param tempWrittenBlocks        temporary blocks written
 * @param sortMethod               {@code quicksort}, {@code external merge}, …
 * @param sortKey                  sort key expressions
 * @param sortSpaceKb              sort space used, kB
 * @param sortSpaceType            {@code Memory} or {@code Disk}
 * @param hashBatches              batches of a Hash node (or of a HashAggregate)
 * @param originalHashBatches      batches the planner expected
 * @param peakMemoryKb             peak memory of a Hash or HashAggregate, kB
 * @param diskUsageKb              disk used by a HashAggregate, kB
 * @param workersPlanned           parallel workers planned
 * @param workersLaunched          parallel workers launched
 * @param heapFetches              heap fetches of an index-only scan
 * @param inclusiveMs              time of this node and its children over all loops and processes, ms
 * @param exclusiveMs              time of this node alone, ms
 * @param timeShare                exclusive time ÷ execution time (0..1), or -1 without ANALYZE
 * @param output                   output expressions ({@code VERBOSE}), qualified as PostgreSQL prints them
 * @param children                 child nodes, in plan order
 */
public record PlanNode(
        int id,
        String nodeType,
        String parentRelationship,
        String relation,
        String alias,
        String index,
        String joinType,
        String strategy,
        String filter,
        String indexCond,
        String recheckCond,
        String hashCond,
        String joinFilter,
        double rowsRemovedByFilter,
        double rowsRemovedByJoinFilter,
        double rowsRemovedByIndexRecheck,
        double planRows,
        double actualRows,
        double loops,
        double startupCost,
        double totalCost,
        double actualStartupMs,
        double actualTotalMs,
        long sharedHitBlocks,
        long sharedReadBlocks,
        long tempReadBlocks,
        long tempWrittenBlocks,
        String sortMethod,
        List<String> sortKey,
        long sortSpaceKb,
        String sortSpaceType,
        long hashBatches,
        long originalHashBatches,
        long peakMemoryKb,
        long diskUsageKb,
        int workersPlanned,
        int workersLaunched,
        double heapFetches,
        double inclusiveMs,
        double exclusiveMs,
        double timeShare,
        List<String> output,
        List<PlanNode> children) {

    public PlanNode {
        sortKey = sortKey == null ? List.of() : List.copyOf(sortKey);
        output = output == null ? List.of() : List.copyOf(output);
        children = children == null ? List.of() : List.copyOf(children);
    }

    /** True when the plan was run with ANALYZE, so the {@code actual*} values are real. */
    public boolean analyzed() {
        return loops >= 0;
    }

    /** Actual rows over all loops, or -1 without ANALYZE. */
    public double totalActualRows() {
        return analyzed() ? actualRows * loops : -1;
    }

    /** Rows removed by the filter over all loops (0 when none, or without ANALYZE). */
    public double totalRowsRemovedByFilter() {
        return rowsRemovedByFilter > 0 && loops > 0 ? rowsRemovedByFilter * loops : 0;
    }

    /** Rows the node read before its filter (kept plus removed) over all loops; ANALYZE only. */
    public double totalRowsScanned() {
        return totalActualRows() + totalRowsRemovedByFilter();
    }

    /** True for {@code Seq Scan} and {@code Parallel Seq Scan}. */
    public boolean isSeqScan() {
        return nodeType.equals("Seq Scan");
    }

    /** This node and all below it, in pre-order. */
    public List<PlanNode> descendantsAndSelf() {
        List<PlanNode> out = new java.util.ArrayList<>();
        java.util.ArrayDeque<PlanNode> stack = new java.util.ArrayDeque<>();
        stack.push(this);
        while (!stack.isEmpty()) {
            PlanNode n = stack.pop();
            out.add(n);
            for (int i = n.children.size() - 1; i >= 0; i--) {
                stack.push(n.children.get(i));
            }
        }
        return out;
    }

    /** One line naming this node: {@code Seq Scan on orders o}, {@code Index Scan using i on t}. */
    public String label() {
        StringBuilder sb = new StringBuilder(nodeType);
        if (index != null && relation != null) {
            sb.append(" using ").append(index);
        }
        if (relation != null) {
            sb.append(" on ").append(relation);
            if (alias != null && !alias.equals(relation)) {
                sb.append(' ').append(alias);
            }
        } else if (index != null) {
            sb.append(" on ").append(index);
        }
        return sb.toString();
    }
}
