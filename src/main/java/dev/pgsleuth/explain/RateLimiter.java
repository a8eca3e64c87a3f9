package dev.pgsleuth.explain;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/** Per-fingerprint and global limits on how often statements are run; time from an injected clock. */
final class RateLimiter {

    private final Clock clock;
    private final Duration perFingerprint;
    private final int perMinute;
    private final Map<String, Instant> lastRun = new HashMap<>();
    private final ArrayDeque<Instant> window = new ArrayDeque<>();

    RateLimiter(Clock clock, Duration perFingerprint, int perMinute) {
        this.clock = clock;
        this.perFingerprint = perFingerprint;
        this.perMinute = perMinute;
    }

    /** Why this fingerprint may not run now, or {@code null} when it may (and the run is counted). */
    synchronized String acquire(String fingerprint) {
        Instant now = clock.instant();
        if (lastRun.size() > 10_000) {
            // a daemon sees new shapes for weeks: forget the ones whose interval is over
            lastRun.values().removeIf(t -> !now.isBefore(t.plus(perFingerprint)));
        }
        Instant last = lastRun.get(fingerprint);
        if (last != null && now.isBefore(last.plus(perFingerprint))) {
            return "this statement shape was explained at " + last + "; next allowed after " + last.plus(perFingerprint);
        }
        while (!window.isEmpty() && !window.peekFirst().isAfter(now.minusSeconds(60))) {
            window.pollFirst();
        }
        if (window.size() >= perMinute) {
            return "the global limit of " + perMinute + " statements per minute is reached";
        }
        window.addLast(now);
        lastRun.put(fingerprint, now);
        return null;
    }
}
