package dev.pgsleuth.detect.nplusone;

import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of {@link NPlusOneDetector}. Use {@link #defaults()} and change what you need with the
 * {@code with…} methods.
 *
 * @param minRepetitions        a shape must run at least this often in one burst of one session
 *                              to be a loop. Default 5: Sentry's N+1 detector, perf-sentinel and
 *                              Scout APM all use 5.
 * @param minDistinctParameters and with at least this many distinct parameter sets. Default 2, so
 *                              the same lookup with one single value everywhere is a
 *                              {@code duplicate-query} instead, while Django's belongs-to loop
 *                              (no identity map: the same author fetched again for each of its
 *                              books) is still a loop.
 * @param maxGap                the longest pause, from the end of one statement to the start of
 *                              the next on the same session, inside one burst. A longer pause
 *                              ends the burst (a pooled connection serving the next request).
 *                              Default 100 ms: perf-sentinel looks for 5 repetitions inside
 *                              500 ms (100 ms per iteration) and Scout for 5 within 150 ms, while
 *                              an ORM spends well under 10 ms of application time per row.
 * @param lookback              how far back a pause may reach and still connect statements of one
 *                              loop. The parent is the last other SELECT of the session before
 *                              the loop, if it ended at most this long before the loop's first
 *                              statement began: the application may work on the parent's rows (or
 *                              warm up its proxies) before it iterates. And a loop already under
 *                              way (its shape ran at least twice with different parameters in the
 *                              burst) goes on across a pause longer than {@code maxGap} but not
 *                              longer than this (a GC pause, a slow render). Default 1 s: further
 *                              back, a statement is more likely the previous request's.
 * @param minDuplicates         the very same statement with the very same parameters run at least
 *                              this often in one burst is a {@code duplicate-query}. Default 3:
 *                              Django Debug Toolbar flags any second copy, which is too noisy for
 *                              a whole production log.
 * @param mediumMs              total loop time (sum of the repeated statements' durations over all
 *                              loops of a pattern) from which a finding is {@code medium}.
 *                              Default 50 ms, Sentry's N+1 duration threshold; below it
 *                              {@code low}.
 * @param highMs                total loop time from which a finding is {@code high}; default
 *                              500 ms (Sentry's former project default)
 * @param criticalMs            total loop time from which a finding is {@code critical}; default
 *                              5000 ms
 * @param worstInstances        how many of the costliest loops a finding lists; default 3
 * @param sessionIdle           a session with no statement for this long (by the log's clock) is
 *                              closed and forgotten, so memory stays bounded by the sessions
 *                              active at once. Default 60 s, far above any statement gap in a
 *                              loop, so a slow statement on one session does not split its loop
 *                              while other sessions advance the clock.
 */
public record NPlusOneSettings(
        int minRepetitions,
        int minDistinctParameters,
        Duration maxGap,
        Duration lookback,
        int minDuplicates,
        double mediumMs,
        double highMs,
        double criticalMs,
        int worstInstances,
        Duration sessionIdle) {

    public NPlusOneSettings {
        Objects.requireNonNull(maxGap, "maxGap");
        Objects.requireNonNull(sessionIdle, "sessionIdle");
        Objects.requireNonNull(lookback, "lookback");
        if (lookback.isNegative()) {
            throw new IllegalArgumentException("lookback must not be negative");
        }
        if (minRepetitions < 2) {
            throw new IllegalArgumentException("minRepetitions must be at least 2, was " + minRepetitions);
        }
        if (minDistinctParameters < 2 || minDistinctParameters > minRepetitions) {
            throw new IllegalArgumentException("minDistinctParameters must be between 2 and minRepetitions, was "
                    + minDistinctParameters);
        }
        if (minDuplicates < 2) {
            throw new IllegalArgumentException("minDuplicates must be at least 2, was " + minDuplicates);
        }
        if (maxGap.isNegative() || sessionIdle.compareTo(maxGap) < 0) {
            throw new IllegalArgumentException("need 0 <= maxGap <= sessionIdle");
        }
        if (!(0 <= mediumMs && mediumMs <= highMs && highMs <= criticalMs)) {
            throw new IllegalArgumentException("need 0 <= mediumMs <= highMs <= criticalMs");
        }
        if (worstInstances < 1) {
            throw new IllegalArgumentException("worstInstances must be at least 1, was " + worstInstances);
        }
    }

    /** The documented defaults. */
    public static NPlusOneSettings defaults() {
        return new NPlusOneSettings(5, 2, Duration.ofMillis(100), Duration.ofSeconds(1), 3, 50, 500, 5000, 3, Duration.ofSeconds(60));
    }

    public NPlusOneSettings withMinRepetitions(int v) {
        return new NPlusOneSettings(v, Math.min(minDistinctParameters, v), maxGap, lookback, minDuplicates, mediumMs, highMs,
                criticalMs, worstInstances, sessionIdle);
    }

    public NPlusOneSettings withMinDistinctParameters(int v) {
        return new NPlusOneSettings(minRepetitions, v, maxGap, lookback, minDuplicates, mediumMs, highMs, criticalMs,
                worstInstances, sessionIdle);
    }

    public NPlusOneSettings withMaxGap(Duration v) {
        return new NPlusOneSettings(minRepetitions, minDistinctParameters, v, lookback, minDuplicates, mediumMs, highMs,
                criticalMs, worstInstances, sessionIdle);
    }

    public NPlusOneSettings withLookback(Duration v) {
        return new NPlusOneSettings(minRepetitions, minDistinctParameters, maxGap, v, minDuplicates, mediumMs, highMs,
                criticalMs, worstInstances, sessionIdle);
    }

    public NPlusOneSettings withMinDuplicates(int v) {
        return new NPlusOneSettings(minRepetitions, minDistinctParameters, maxGap, lookback, v, mediumMs, highMs, criticalMs,
                worstInstances, sessionIdle);
    }

    public NPlusOneSettings withSeverityThresholds(double medium, double high, double critical) {
        return new NPlusOneSettings(minRepetitions, minDistinctParameters, maxGap, lookback, minDuplicates, medium, high,
                critical, worstInstances, sessionIdle);
    }

    public NPlusOneSettings withWorstInstances(int v) {
        return new NPlusOneSettings(minRepetitions, minDistinctParameters, maxGap, lookback, minDuplicates, mediumMs, highMs,
                criticalMs, v, sessionIdle);
    }

    public NPlusOneSettings withSessionIdle(Duration v) {
        return new NPlusOneSettings(minRepetitions, minDistinctParameters, maxGap, lookback, minDuplicates, mediumMs, highMs,
                criticalMs, worstInstances, v);
    }
}
