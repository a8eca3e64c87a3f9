package dev.pgsleuth.detect.nplusone;

import java.time.OffsetDateTime;

/**
 * One loop as it ran: where, when, and what it cost.
 *
 * @param session     session key
 * @param database    database, or {@code null}
 * @param user        user, or {@code null}
 * @param application application_name, or {@code null}
 * @param start       log time of the first repeated statement
 * @param end         log time of the last repeated statement
 * @param spanMs      wall time from the start of the first to the end of the last, or NaN
 * @param durationMs  sum of the repeated statements' durations
 * @param repetitions repeated statements in this loop
 */
record LoopInstance(String session, String database, String user, String application,
        OffsetDateTime start, OffsetDateTime end, double spanMs, double durationMs, int repetitions) {
}
