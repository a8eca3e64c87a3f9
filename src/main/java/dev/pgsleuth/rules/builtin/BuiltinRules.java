package dev.pgsleuth.rules.builtin;

import dev.pgsleuth.rules.Rule;
import java.util.List;

/** The rules shipped with pgsleuth, in catalog order. */
public final class BuiltinRules {

    private BuiltinRules() {
    }

    /** One instance of each built-in rule. */
    public static List<Rule> all() {
        return List.of(
                new SeqScanSelectiveFilterRule(),
                new UnindexedForeignKeyRule(),
                new SortSpillsToDiskRule(),
                new HashSpillsToDiskRule(),
                new RowMisestimateRule(),
                new LargeOffsetRule(),
                new LeadingWildcardLikeRule(),
                new FunctionOnIndexedColumnRule(),
                new NestedLoopManyInnerScansRule(),
                new LowReadEfficiencyRule(),
                new HeavyInAppRule());
    }
}
