package dev.pgsleuth.aggregate;

import java.util.Arrays;
import org.HdrHistogram.IntCountsHistogram;

/**
 * Durations of one shape in microseconds, for percentiles. Most shapes of a large log run a few
 * times only, so the first values are kept exactly in a small array; past {@link #EXACT_LIMIT}
 * they move into an auto-resizing histogram (2 significant digits, so within 1%), whose size is
 * bounded by the range of values, not by their number.
 */
final class DurationDigest {
    static final int EXACT_LIMIT = 16;

    private long[] exact = new long[2];
    private int size;
    private IntCountsHistogram histogram;

    void record(long micros) {
        if (histogram != null) {
            histogram.recordValue(micros);
            return;
        }
        if (size == EXACT_LIMIT) {
            promote();
            histogram.recordValue(micros);
            return;
        }
        if (size == exact.length) {
            exact = Arrays.copyOf(exact, Math.min(EXACT_LIMIT, size * 2));
        }
        exact[size++] = micros;
    }

    void addAll(DurationDigest o) {
        if (o.histogram != null) {
            if (histogram == null) {
                promote();
            }
            histogram.add(o.histogram);
        } else {
            for (int i = 0; i < o.size; i++) {
                record(o.exact[i]);
            }
        }
    }

    boolean isEmpty() {
        return histogram == null ? size == 0 : histogram.getTotalCount() == 0;
    }

    /**
     * The nearest-rank percentile, clamped to [{@code min}, {@code max}] because a histogram
     * bucket's upper edge may lie beyond the largest value recorded.
     */
    long percentile(double percent, long min, long max) {
        long v;
        if (histogram != null) {
            v = histogram.getValueAtPercentile(percent);
        } else {
            long[] sorted = Arrays.copyOf(exact, size);
            Arrays.sort(sorted);
            int rank = (int) Math.ceil(percent / 100.0 * size);
            v = sorted[Math.max(0, Math.min(size, rank) - 1)];
        }
        return Math.max(min, Math.min(max, v));
    }

    private void promote() {
        histogram = new IntCountsHistogram(2);
        for (int i = 0; i < size; i++) {
            histogram.recordValue(exact[i]);
        }
        exact = null;
        size = 0;
    }
}
