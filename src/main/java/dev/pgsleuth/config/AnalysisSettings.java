package dev.pgsleuth.config;

import dev.pgsleuth.aggregate.QueryAggregator;
import dev.pgsleuth.detect.nplusone.NPlusOneSettings;
import dev.pgsleuth.parse.LogFormat;

/**
 * What one analysis reads and keeps, validated once; the CLI flags and (later) the daemon's
 * config file both end up here.
 *
 * @param logFormat  forced log format, or {@code null} to detect it per input
 * @param prefix     forced {@code log_line_prefix}, or {@code null} to infer it per input
 * @param showValues keep literal values and bind parameters in examples (logs hold personal data,
 *                   so they are masked by default)
 * @param shapeCap   most distinct statement shapes kept; the least recently seen beyond it fold
 *                   into the report's {@code other} bucket
 * @param nPlusOne   what counts as an N+1 loop
 */
public record AnalysisSettings(LogFormat logFormat, String prefix, boolean showValues, int shapeCap,
                               NPlusOneSettings nPlusOne) {

    public AnalysisSettings {
        if (shapeCap < 1) {
            throw new IllegalArgumentException("the shape cap must be at least 1, not " + shapeCap);
        }
    }

    /** Detect everything, mask values, the default shape cap and N+1 settings. */
    public static AnalysisSettings defaults() {
        return new AnalysisSettings(null, null, false, defaultShapeCap(), NPlusOneSettings.defaults());
    }

    /** The shape cap when none is given: {@link #defaultShapeCap(long)} of this JVM's maximum heap. */
    public static int defaultShapeCap() {
        return defaultShapeCap(Runtime.getRuntime().maxMemory());
    }

    /**
     * {@link QueryAggregator#DEFAULT_SHAPE_CAP}, or one shape per 8 KB of a smaller heap (at least
     * 1,000). A kept shape holds about 4 KB with everything the stages keep of it, and the report
     * needs room beside them: with {@code -Xmx256m}, 50,000 shapes ran out of memory writing the
     * JSON report, after 20 s of full collections; 32,768 took 5.4 s.
     */
    static int defaultShapeCap(long maxHeapBytes) {
        return (int) Math.max(1_000, Math.min(QueryAggregator.DEFAULT_SHAPE_CAP, maxHeapBytes / (8 << 10)));
    }
}
