package dev.pgsleuth.detect;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.SortedMap;

/**
 * What {@link LogEvents} counted, as the report's {@code events} section prints it. Durations
 * are milliseconds rounded to 3 decimals; statements are normalized ({@code $n}) unless values
 * were asked for.
 *
 * @param errors      ERROR, FATAL and PANIC messages grouped by severity, SQLSTATE and normalized
 *                    message, most frequent first
 * @param lockWaits   {@code log_lock_waits} messages
 * @param deadlocks   {@code deadlock detected} errors
 * @param tempFiles   {@code log_temp_files} messages
 * @param checkpoints {@code log_checkpoints} messages and checkpoint warnings
 * @param autovacuum  automatic vacuums, per table
 * @param autoanalyze automatic analyzes, per table
 * @param connections {@code log_connections} and {@code log_disconnections} messages
 */
public record LogEventsSummary(
        List<ErrorGroup> errors,
        LockWaits lockWaits,
        Deadlocks deadlocks,
        TempFiles tempFiles,
        Checkpoints checkpoints,
        Maintenance autovacuum,
        Maintenance autoanalyze,
        Connections connections) {

    /**
     * One kind of error.
     *
     * @param severity    {@code error}, {@code fatal} or {@code panic}
     * @param sqlstate    SQLSTATE, or {@code null} when the log format did not carry it
     * @param message     message with quoted values as {@code "..."} / {@code '...'} and numbers as
     *                    {@code #}
     * @param count       occurrences
     * @param firstSeen   first occurrence, or {@code null}
     * @param lastSeen    last occurrence, or {@code null}
     * @param fingerprint fingerprint of the example statement, or {@code null}
     * @param example     a statement that raised it (its STATEMENT text), or {@code null}
     */
    public record ErrorGroup(String severity, String sqlstate, String message, long count,
                             OffsetDateTime firstSeen, OffsetDateTime lastSeen, String fingerprint,
                             String example) {
    }

    /**
     * A statement shape an event was logged for.
     *
     * @param fingerprint fingerprint
     * @param query       normalized text
     * @param count       events for this shape
     * @param amount      bytes for temporary files, wait milliseconds for lock waits
     */
    public record EventQuery(String fingerprint, String query, long count, double amount) {
    }

    /**
     * Lock waits.
     *
     * @param waiting     {@code still waiting for … lock} messages
     * @param acquired    {@code acquired … after} messages
     * @param totalWaitMs wait time summed over the acquired messages
     * @param maxWaitMs   longest wait in any of these messages
     * @param lockTypes   messages per lock mode ({@code ShareLock}, {@code AccessExclusiveLock}, …)
     * @param queries     waiting statements, most frequent first
     */
    public record LockWaits(long waiting, long acquired, double totalWaitMs, double maxWaitMs,
                            SortedMap<String, Long> lockTypes, List<EventQuery> queries) {
    }

    /**
     * Deadlocks.
     *
     * @param count   {@code deadlock detected} errors
     * @param queries statements that were cancelled, most frequent first
     */
    public record Deadlocks(long count, List<EventQuery> queries) {
    }

    /**
     * Temporary files.
     *
     * @param count    files
     * @param bytes    summed size
     * @param maxBytes largest file
     * @param queries  statements that wrote them, most bytes first
     */
    public record TempFiles(long count, long bytes, long maxBytes, List<EventQuery> queries) {
    }

    /**
     * Checkpoints.
     *
     * @param started     {@code checkpoint starting} messages
     * @param completed   {@code checkpoint complete} messages
     * @param tooFrequent {@code checkpoints are occurring too frequently} warnings
     * @param causes      started checkpoints per cause ({@code time}, {@code wal},
     *                    {@code immediate force wait}, …)
     * @param totalMs     summed {@code total=} time of the completed ones
     * @param maxMs       longest {@code total=} time
     */
    public record Checkpoints(long started, long completed, long tooFrequent,
                              SortedMap<String, Long> causes, double totalMs, double maxMs) {
    }

    /**
     * Automatic vacuums or analyzes.
     *
     * @param count  runs
     * @param tables runs per {@code database.schema.table}
     */
    public record Maintenance(long count, SortedMap<String, Long> tables) {
    }

    /**
     * Connections and sessions.
     *
     * @param received   {@code connection received} messages
     * @param authorized {@code connection authorized} messages
     * @param databases  authorized connections per database
     * @param users      authorized connections per user
     * @param sessions   ended sessions, from {@code disconnection} messages
     */
    public record Connections(long received, long authorized, SortedMap<String, Long> databases,
                              SortedMap<String, Long> users, Sessions sessions) {
    }

    /**
     * Session durations.
     *
     * @param count   ended sessions
     * @param totalMs summed session time
     * @param meanMs  mean session time, or {@code null} when none ended
     * @param maxMs   longest session, or {@code null} when none ended
     */
    public record Sessions(long count, double totalMs, Double meanMs, Double maxMs) {
    }
}
