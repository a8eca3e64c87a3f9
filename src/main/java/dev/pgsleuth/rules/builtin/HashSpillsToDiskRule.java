package dev.pgsleuth.rules.builtin;

import dev.pgsleuth.model.Finding;
import dev.pgsleuth.model.PlanNode;
import dev.pgsleuth.rules.Rule;
import dev.pgsleuth.rules.RuleContext;
import dev.pgsleuth.rules.RuleSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A hash table (of a hash join or a hash aggregate) split into batches written to disk. */
public final class HashSpillsToDiskRule implements Rule {

    @Override
    public String id() {
        return "hash-spills-to-disk";
    }

    @Override
    public List<Finding> check(RuleContext ctx, RuleSettings settings) {
        List<Finding> out = new ArrayList<>();
        for (PlanNode node : ctx.plan().nodes()) {
            boolean hash = node.nodeType().equals("Hash");
            boolean hashAgg = node.nodeType().equals("Aggregate") && "Hashed".equals(node.strategy());
            if (!(hash || hashAgg) || node.hashBatches() < settings.threshold("min-batches")) {
                continue;
            }
            long peak = Math.max(node.peakMemoryKb(), 0);
            long needKb = hash ? peak * node.hashBatches() : peak + Math.max(node.diskUsageKb(), 0);
            long workMemMb = Math.max(1, (long) Math.ceil(needKb * settings.threshold("memory-factor") / 1024.0));
            String what = hash ? "hash join" : "hash aggregate";
            String title = "The " + what + " split its hash table into " + node.hashBatches() + " batches on disk";
            String message = "The hash table needed about " + Findings.count(needKb) + " kB but work_mem × "
                    + "hash_mem_multiplier allowed less, so each batch was written to temporary files and read back"
                    + (node.originalHashBatches() > 0 && node.originalHashBatches() < node.hashBatches()
                    ? " (the planner expected " + node.originalHashBatches() + ")." : ".");
            String fix = "Give this statement about " + workMemMb + " MB of work_mem in its transaction, or join/"
                    + "group fewer rows (filter earlier, select fewer columns).";
            out.add(Findings.onNode(ctx, settings, node, title, message, fix,
                    "SET LOCAL work_mem = '" + workMemMb + "MB';",
                    Map.of("hashBatches", node.hashBatches(), "originalHashBatches", node.originalHashBatches(),
                            "peakMemoryKb", peak, "suggestedWorkMemMb", workMemMb)));
        }
        return out;
    }
}
