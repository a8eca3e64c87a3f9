package dev.pgsleuth.aggregate;

import dev.pgsleuth.model.StatementKind;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.SortedMap;

/**
 * The statistics of one statement shape, as of the moment it was taken from a
 * {@link QueryAggregator}. Durations are in microseconds (PostgreSQL logs three decimals of a
 * millisecond, so nothing is lost); timing fields are -1 when no execution of the shape had a
 * logged duration ({@code log_statement} without {@code log_min_duration_statement}).
 *
 * @param fingerprint  the shape's fingerprint
 * @param query        normalized text with {@code $n} placeholders
 * @param kind         statement kind
 * @param tables       tables the statement reads or writes
 * @param count        executions
 * @param timedCount   executions that had a duration
 * @param totalMicros  sum of durations
 * @param minMicros    shortest duration, or -1
 * @param maxMicros    longest duration, or -1
 * @param p50Micros    median, or -1
 * @param p95Micros    95th percentile, or -1
 * @param p99Micros    99th percentile, or -1
 * @param firstSeen    first execution time, or {@code null}
 * @param lastSeen     last execution time, or {@code null}
 * @param databases    executions per database
 * @param users        executions per user
 * @param applications executions per application_name
 * @param example      the slowest execution (the first one when none had a duration), or
 *                     {@code null} when the shape was only parsed or bound
 * @param parseMicros  time spent in the parse step
 * @param bindMicros   time spent in the bind step
 */
public record ShapeSummary(
        String fingerprint,
        String query,
        StatementKind kind,
        List<String> tables,
        long count,
        long timedCount,
        long totalMicros,
        long minMicros,
        long maxMicros,
        long p50Micros,
        long p95Micros,
        long p99Micros,
        OffsetDateTime firstSeen,
        OffsetDateTime lastSeen,
        SortedMap<String, Long> databases,
        SortedMap<String, Long> users,
        SortedMap<String, Long> applications,
        Example example,
        long parseMicros,
        long bindMicros) {

    /**
     * One real execution of the shape, with its literal values: whoever prints it decides about
     * masking (see {@link QueryAggregator#showValues()}); the EXPLAIN stage needs the values.
     *
     * @param statement  statement text as logged
     * @param parameters bind parameter values, empty when none were logged
     * @param micros     duration, or -1
     * @param timestamp  when it ran, or {@code null}
     * @param session    its session key
     */
    public record Example(String statement, List<String> parameters, long micros,
                          OffsetDateTime timestamp, String session) {
    }

    /** Mean duration over the timed executions, or -1. */
    public double meanMicros() {
        return timedCount == 0 ? -1 : (double) totalMicros / timedCount;
    }
}
