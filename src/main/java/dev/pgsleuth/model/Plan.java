package dev.pgsleuth.model;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * A statement's plan as PostgreSQL reported it.
 *
 * @param root            the top node
 * @param planningMs      planning time, ms, or -1
 * @param executionMs     execution time, ms, or -1 without ANALYZE
 * @param generic         true for a generic plan (placeholders not filled, no ANALYZE timings)
 * @param settings        non-default planner settings reported by {@code SETTINGS}, may be empty
 */
public record Plan(PlanNode root, double planningMs, double executionMs, boolean generic, Map<String, String> settings) {

    public Plan {
        settings = settings == null ? Map.of() : Map.copyOf(settings);
    }

    /** True when the plan was run with ANALYZE. */
    public boolean analyzed() {
        return root.analyzed();
    }

    /** Every node, in pre-order; a node's index in the list is its {@link PlanNode#id()}. */
    public List<PlanNode> nodes() {
        return root.descendantsAndSelf();
    }

    /** Relations scanned anywhere in the plan, in order of first appearance. */
    public List<String> relations() {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (PlanNode n : nodes()) {
            if (n.relation() != null) {
                out.add(n.relation());
            }
        }
        return new ArrayList<>(out);
    }

    /** The node's parent, or {@code null} for the root. */
    public PlanNode parentOf(PlanNode node) {
        for (PlanNode n : nodes()) {
            for (PlanNode c : n.children()) {
                if (c.id() == node.id()) {
                    return n;
                }
            }
        }
        return null;
    }
}
