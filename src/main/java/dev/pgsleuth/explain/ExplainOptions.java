package dev.pgsleuth.explain;

import java.time.Duration;
import java.util.Objects;

/**
 * How the {@link Explainer} protects the database it runs on. Defaults: 30 s statement timeout,
 * 5 s lock timeout, 60 s idle-in-transaction timeout, each fingerprint at most once per hour, at
 * most 30 statements a minute, back-off from 5 s doubling to 5 min while the database is unreachable.
 *
 * @param statementTimeout         {@code SET LOCAL statement_timeout}
 * @param lockTimeout              {@code SET LOCAL lock_timeout}
 * @param idleInTransactionTimeout {@code SET LOCAL idle_in_transaction_session_timeout}
 * @param connectTimeout           how long to wait for a connection
 * @param perFingerprintInterval   minimum time between two runs of the same fingerprint
 * @param maxPerMinute             maximum runs in any 60-second window
 * @param initialBackoff           first wait after the database could not be reached
 * @param maxBackoff               longest wait between attempts
 * @param legacyGenericPlan        use {@code PREPARE} + {@code force_generic_plan} even on PostgreSQL 16+
 */
public record ExplainOptions(Duration statementTimeout, Duration lockTimeout, Duration idleInTransactionTimeout,
                             Duration connectTimeout, Duration perFingerprintInterval, int maxPerMinute,
                             Duration initialBackoff, Duration maxBackoff, boolean legacyGenericPlan) {

    public ExplainOptions {
        Objects.requireNonNull(statementTimeout, "statementTimeout");
        if (statementTimeout.toMillis() < 1 || lockTimeout.toMillis() < 1 || idleInTransactionTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("timeouts must be at least 1 ms (0 would disable them)");
        }
        if (maxPerMinute < 1) {
            throw new IllegalArgumentException("maxPerMinute must be at least 1");
        }
    }

    /** The defaults. */
    public static ExplainOptions defaults() {
        return new ExplainOptions(Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(60),
                Duration.ofSeconds(10), Duration.ofHours(1), 30, Duration.ofSeconds(5), Duration.ofMinutes(5), false);
    }

    /** A copy with another statement timeout. */
    public ExplainOptions withStatementTimeout(Duration timeout) {
        return new ExplainOptions(timeout, lockTimeout, idleInTransactionTimeout, connectTimeout,
                perFingerprintInterval, maxPerMinute, initialBackoff, maxBackoff, legacyGenericPlan);
    }

    /** A copy with other rate limits. */
    public ExplainOptions withRateLimits(Duration perFingerprint, int perMinute) {
        return new ExplainOptions(statementTimeout, lockTimeout, idleInTransactionTimeout, connectTimeout,
                perFingerprint, perMinute, initialBackoff, maxBackoff, legacyGenericPlan);
    }

    /** A copy that uses the pre-16 generic plan method. */
    public ExplainOptions withLegacyGenericPlan(boolean legacy) {
        return new ExplainOptions(statementTimeout, lockTimeout, idleInTransactionTimeout, connectTimeout,
                perFingerprintInterval, maxPerMinute, initialBackoff, maxBackoff, legacy);
    }

    /**
     * The driver's socket timeout: above every server-side timeout, so that the server cancels first
     * and the socket timeout only catches a connection that went silent.
     */
    Duration socketTimeout() {
        Duration longest = statementTimeout.compareTo(idleInTransactionTimeout) > 0 ? statementTimeout : idleInTransactionTimeout;
        return longest.plusSeconds(15);
    }
}
