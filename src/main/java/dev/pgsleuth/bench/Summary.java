package dev.pgsleuth.bench;

import dev.pgsleuth.parse.LogFormat;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * What {@link SyntheticLog} wrote, counted while writing, so that a test or the benchmark can
 * compare it with what a reader finds.
 *
 * @param format          the log format written
 * @param bytes           bytes written
 * @param lines           physical lines written (newline bytes)
 * @param entries         log records written (a stderr line with its continuation, DETAIL and
 *                        STATEMENT lines, a csv record, a json object); the sum of {@code counts}
 * @param counts          entries per kind; every kind is present
 * @param shapesRequested distinct shapes the workload was asked to use
 * @param distinctShapes  distinct shapes that were executed at least once (a {@code statement:}
 *                        or {@code execute} line); equals {@code shapesRequested} when the log is
 *                        long enough to sweep the whole catalog
 * @param sessions        client sessions (each has its connection and disconnection lines)
 * @param nPlusOneLoops   N+1 loops: a parent select, then 5–50 lookups of one shape in one session
 * @param nPlusOneLookups the lookups of those loops
 */
public record Summary(LogFormat format, long bytes, long lines, long entries, Map<EntryKind, Long> counts,
        int shapesRequested, int distinctShapes, long sessions, long nPlusOneLoops, long nPlusOneLookups) {

    public Summary {
        counts = Collections.unmodifiableMap(new EnumMap<>(counts));
    }

    /** Entries of one kind. */
    public long count(EntryKind kind) {
        return counts.getOrDefault(kind, 0L);
    }

    /** Statement executions: {@code statement:} plus {@code execute} lines. */
    public long executions() {
        return count(EntryKind.STATEMENT) + count(EntryKind.EXECUTE);
    }
}
