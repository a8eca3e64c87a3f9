package dev.pgsleuth.explain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgsleuth.model.Plan;
import dev.pgsleuth.model.PlanNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the output of {@code EXPLAIN (FORMAT JSON)} (a one-element array) or an auto_explain JSON
 * plan (a bare object) into a {@link Plan}, and works out each node's own share of the time.
 */
public final class PlanParser {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PlanParser() {
    }

    /**
     * Parses a JSON plan.
     *
     * @param json    the EXPLAIN output
     * @param generic whether the plan is generic (placeholders left unfilled)
     * @throws IllegalArgumentException when the text is not a JSON plan
     */
    public static Plan parse(String json, boolean generic) {
        JsonNode top;
        try {
            top = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a JSON plan: " + e.getOriginalMessage());
        }
        if (top != null && top.isArray() && top.size() > 0) {
            top = top.get(0);
        }
        if (top == null || !top.has("Plan")) {
            throw new IllegalArgumentException("not a JSON plan: no \"Plan\" object");
        }
        double executionMs = number(top, "Execution Time", -1);
        Map<String, String> settings = new LinkedHashMap<>();
        JsonNode s = top.get("Settings");
        if (s != null && s.isObject()) {
            s.fields().forEachRemaining(e -> settings.put(e.getKey(), e.getValue().asText()));
        }
        PlanNode root = new Builder(executionMs).node(top.get("Plan"), 1);
        return new Plan(root, number(top, "Planning Time", -1), executionMs, generic, settings);
    }

    private static final class Builder {
        private final double executionMs;
        private int nextId;

        Builder(double executionMs) {
            this.executionMs = executionMs;
        }

        /** @param processes processes sharing this subtree's work (workers + leader under a Gather) */
        PlanNode node(JsonNode j, int processes) {
            int id = nextId++;
            String type = text(j, "Node Type");
            int launched = (int) number(j, "Workers Launched", -1);
            int below = type.startsWith("Gather") && launched >= 0 ? launched + 1 : processes;
            List<PlanNode> children = new ArrayList<>();
            JsonNode plans = j.get("Plans");
            if (plans != null) {
                for (JsonNode c : plans) {
                    children.add(node(c, below));
                }
            }
            double loops = number(j, "Actual Loops", -1);
            double total = number(j, "Actual Total Time", -1);
            double inclusive = -1;
            double exclusive = -1;
            double share = -1;
            if (loops >= 0 && total >= 0) {
                inclusive = total * loops / processes;
                double childTime = 0;
                for (PlanNode c : children) {
                    childTime += Math.max(0, c.inclusiveMs());
                }
                exclusive = Math.max(0, inclusive - childTime);
                share = executionMs > 0 ? Math.min(1.0, exclusive / executionMs) : -1;
            }
            boolean aggregate = type.equals("Aggregate");
            long batches = (long) number(j, aggregate ? "HashAgg Batches" : "Hash Batches", -1);
            List<String> sortKey = texts(j, "Sort Key");
            return new PlanNode(
                    id, type,
                    text(j, "Parent Relationship"),
                    text(j, "Relation Name"),
                    text(j, "Alias"),
                    text(j, "Index Name"),
                    text(j, "Join Type"),
                    text(j, "Strategy"),
                    text(j, "Filter"),
                    text(j, "Index Cond"),
                    text(j, "Recheck Cond"),
                    text(j, "Hash Cond"),
                    text(j, "Join Filter"),
                    number(j, "Rows Removed by Filter", 0),
                    number(j, "Rows Removed by Join Filter", 0),
                    number(j, "Rows Removed by Index Recheck", 0),
                    number(j, "Plan Rows", -1),
                    number(j, "Actual Rows", -1),
                    loops,
                    number(j, "Startup Cost", -1),
                    number(j, "Total Cost", -1),
                    number(j, "Actual Startup Time", -1),
                    total,
                    (long) number(j, "Shared Hit Blocks", 0),
                    (long) number(j, "Shared Read Blocks", 0),
                    (long) number(j, "Temp Read Blocks", 0),
                    (long) number(j, "Temp Written Blocks", 0),
                    text(j, "Sort Method"),
                    sortKey,
                    (long) number(j, "Sort Space Used", -1),
                    text(j, "Sort Space Type"),
                    batches,
                    (long) number(j, "Original Hash Batches", -1),
                    (long) number(j, "Peak Memory Usage", -1),
                    (long) number(j, "Disk Usage", -1),
                    (int) number(j, "Workers Planned", -1),
                    launched,
                    number(j, "Heap Fetches", -1),
                    inclusive, exclusive, share,
                    texts(j, "Output"),
                    children);
        }
    }

    private static List<String> texts(JsonNode j, String field) {
        List<String> out = new ArrayList<>();
        JsonNode v = j.get(field);
        if (v != null && v.isArray()) {
            v.forEach(k -> out.add(k.asText()));
        }
        return out;
    }

    private static String text(JsonNode j, String field) {
        JsonNode v = j.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static double number(JsonNode j, String field, double absent) {
        JsonNode v = j.get(field);
        return v == null || !v.isNumber() ? absent : v.asDouble();
    }
}
