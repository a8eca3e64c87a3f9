package dev.pgsleuth.cli;

import dev.pgsleuth.aggregate.QueryAggregator;
import dev.pgsleuth.config.AnalysisSettings;
import picocli.CommandLine.Option;

/** {@code --max-shapes}, the same for {@code analyze} and {@code watch}. */
final class ShapeCapOption {

    @Option(names = "--max-shapes", paramLabel = "N",
            description = "Most distinct statement shapes kept; the rest are counted in 'other' (default: "
                    + QueryAggregator.DEFAULT_SHAPE_CAP + ", or one per 8 KB of a smaller Java heap: about 31000 with -Xmx256m).")
    Integer maxShapes;

    /**
     * The cap given, or the one that suits this JVM's heap.
     *
     * @throws UsageException when the given cap is below 1
     */
    int shapeCap() {
        if (maxShapes == null) {
            return AnalysisSettings.defaultShapeCap();
        }
        if (maxShapes < 1) {
            throw new UsageException("--max-shapes must be at least 1");
        }
        return maxShapes;
    }
}
