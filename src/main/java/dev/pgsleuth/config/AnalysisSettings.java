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
        return new AnalysisSettings(null, null, false, QueryAggregator.DEFAULT_SHAPE_CAP, NPlusOneSettings.defaults());
    }
}
