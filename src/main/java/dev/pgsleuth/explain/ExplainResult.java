package dev.pgsleuth.explain;

import dev.pgsleuth.model.Plan;
import dev.pgsleuth.rules.CatalogFacts;

/**
 * What came of one request to explain a statement. Only {@link Status#OK} carries a plan.
 *
 * @param status  what happened
 * @param reason  one sentence saying why there is no plan, {@code null} when OK
 * @param plan    the plan, or {@code null}
 * @param catalog indexes, foreign keys and statistics of the plan's tables ({@link CatalogFacts#empty()} without a plan)
 */
public record ExplainResult(Status status, String reason, Plan plan, CatalogFacts catalog) {

    /** Outcome of a request. */
    public enum Status {
        /** The plan was obtained. */
        OK,
        /** The safety guard refused the statement; it was not sent. */
        REFUSED,
        /** The database could not be reached (or is in back-off); nothing was run. */
        UNAVAILABLE,
        /** A rate limit held the statement back. */
        RATE_LIMITED,
        /** The statement ran into statement_timeout or lock_timeout and was cancelled. */
        TIMED_OUT,
        /** The database rejected the statement (an error other than a timeout). */
        FAILED
    }

    static ExplainResult without(Status status, String reason) {
        return new ExplainResult(status, reason, null, CatalogFacts.empty());
    }

    /** True when a plan is present. */
    public boolean ok() {
        return status == Status.OK;
    }
}
