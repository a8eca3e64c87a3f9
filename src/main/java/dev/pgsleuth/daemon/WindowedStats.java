package dev.pgsleuth.daemon;

import dev.pgsleuth.aggregate.QueryAggregator;
import dev.pgsleuth.model.LogEntry;
import dev.pgsleuth.model.NormalizedStatement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Supplier;

/**
 * Per-shape statistics of recent time windows in bounded memory: entries go to the aggregator
 * of the current slice ({@value #SLICE_SECONDS} s of log time); a finished slice is kept for the
 * last hour and merged into the aggregator of its hour, and hours are kept for a day. At most
 * {@value #SLICES_PER_HOUR} + 1 slices and {@value #HOURS} + 1 hours are alive, each capped at
 * the same number of shapes as the whole-run aggregator, so memory is bounded by about
 * {@code 38 × cap} shapes whatever the uptime (and in practice by the shapes that are active in
 * an hour). A window is answered by merging the slices (up to an hour) or hours (up to a day)
 * it covers, so its edges are on slice or hour boundaries.
 *
 * <p>Entries are placed by their own timestamp, on the log's clock: a backlog read at start-up
 * lands in the hours it was written, not in the last one. An entry without a time, or older than
 * the current slice, goes to the current slice. Not thread-safe.
 */
final class WindowedStats {
    static final long SLICE_SECONDS = 300;
    static final int SLICES_PER_HOUR = 12;
    static final int HOURS = 24;
    /** The longest window answered. */
    static final Duration LONGEST = Duration.ofHours(HOURS);

    private record Part(long index, QueryAggregator stats) {
    }

    private final Supplier<QueryAggregator> factory;
    private final Deque<Part> slices = new ArrayDeque<>();
    private final Deque<Part> hours = new ArrayDeque<>();
    private long sliceIndex = Long.MIN_VALUE;
    private QueryAggregator slice;
    private QueryAggregator hour;

    /** @param factory makes an empty aggregator (normalizer, cap and value masking of the run) */
    WindowedStats(Supplier<QueryAggregator> factory) {
        this.factory = factory;
        this.slice = factory.get();
        this.hour = factory.get();
    }

    /** Adds {@code e}, whose statement the pipeline normalized into {@code normalized} (or null). */
    void accept(LogEntry e, NormalizedStatement normalized) {
        OffsetDateTime t = e.timestamp();
        if (t != null) {
            long index = Math.floorDiv(t.toEpochSecond(), SLICE_SECONDS);
            if (index > sliceIndex) {
                roll(index);
            }
        }
        slice.accept(e, normalized);
    }

    /** Finishes the current slice and starts slice {@code index}. */
    private void roll(long index) {
        if (sliceIndex != Long.MIN_VALUE) {
            slices.addLast(new Part(sliceIndex, slice));
            long hourIndex = Math.floorDiv(sliceIndex, SLICES_PER_HOUR);
            hour.merge(slice);
            if (Math.floorDiv(index, SLICES_PER_HOUR) != hourIndex) {
                hours.addLast(new Part(hourIndex, hour));
                hour = factory.get();
            }
            slice = factory.get();
        }
        sliceIndex = index;
        while (!slices.isEmpty() && slices.peekFirst().index() <= index - SLICES_PER_HOUR) {
            slices.removeFirst();
        }
        long hourNow = Math.floorDiv(index, SLICES_PER_HOUR);
        while (!hours.isEmpty() && hours.peekFirst().index() <= hourNow - HOURS) {
            hours.removeFirst();
        }
    }

    /**
     * The statistics of the last {@code window} before {@code now}, rounded up to whole slices
     * (up to an hour) or whole hours (up to {@link #LONGEST}), merged into a new aggregator.
     */
    QueryAggregator window(Duration window, OffsetDateTime now) {
        if (window.isNegative() || window.isZero() || window.compareTo(LONGEST) > 0) {
            throw new IllegalArgumentException("a window is longer than 0 and at most " + LONGEST.toHours() + "h");
        }
        long nowSlice = Math.max(sliceIndex, Math.floorDiv(now.toEpochSecond(), SLICE_SECONDS));
        QueryAggregator out = factory.get();
        if (window.compareTo(Duration.ofHours(1)) <= 0) {
            long count = (window.getSeconds() + SLICE_SECONDS - 1) / SLICE_SECONDS;
            long from = nowSlice - count; // exclusive
            for (Part p : slices) {
                if (p.index() > from) {
                    out.merge(p.stats());
                }
            }
            if (sliceIndex > from) {
                out.merge(slice);
            }
            return out;
        }
        long count = (window.getSeconds() + 3599) / 3600;
        long nowHour = Math.floorDiv(nowSlice, SLICES_PER_HOUR);
        long from = nowHour - count;
        for (Part p : hours) {
            if (p.index() > from) {
                out.merge(p.stats());
            }
        }
        if (Math.floorDiv(sliceIndex, SLICES_PER_HOUR) > from) {
            out.merge(hour);
            out.merge(slice);
        }
        return out;
    }

    /** Aggregators alive now; for the memory test. */
    int parts() {
        return slices.size() + hours.size() + 2;
    }
}
