package dev.pgsleuth.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pgsleuth.aggregate.QueryAggregator;
import org.junit.jupiter.api.Test;

class AnalysisSettingsTest {

    @Test
    void theDefaultShapeCapIsOnePer8KBOfASmallHeapUpToTheUsualCap() {
        assertEquals(32_768, AnalysisSettings.defaultShapeCap(256L << 20));
        assertEquals(QueryAggregator.DEFAULT_SHAPE_CAP, AnalysisSettings.defaultShapeCap(4L << 30));
        assertEquals(QueryAggregator.DEFAULT_SHAPE_CAP, AnalysisSettings.defaultShapeCap(Long.MAX_VALUE),
                "a JVM without a heap limit");
        assertEquals(1_000, AnalysisSettings.defaultShapeCap(1L << 20), "never fewer than 1,000");
    }

    @Test
    void theDefaultsUseThisJvmsHeap() {
        assertEquals(AnalysisSettings.defaultShapeCap(Runtime.getRuntime().maxMemory()),
                AnalysisSettings.defaults().shapeCap());
    }
}
