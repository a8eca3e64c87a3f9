package dev.pgsleuth.cli;

import dev.pgsleuth.explain.ConnectionSettings;
import dev.pgsleuth.explain.ExplainOptions;
import dev.pgsleuth.explain.IndexVerifier;
import dev.pgsleuth.pipeline.ExplainStage;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The options of the EXPLAIN stage, the same for {@code analyze} and {@code watch}: which
 * database, which shapes, how long a statement may run, how index advice is checked.
 */
final class DatabaseOptions {

    /** Values of {@code --verify-indexes}; each maps to one {@link IndexVerifier.Mode}. */
    enum VerifyIndexes {
        none(IndexVerifier.Mode.NONE), hypopg(IndexVerifier.Mode.HYPOPG), transaction(IndexVerifier.Mode.TRANSACTION);

        final IndexVerifier.Mode mode;

        VerifyIndexes(IndexVerifier.Mode mode) {
            this.mode = mode;
        }
    }

    @Option(names = "--db", paramLabel = "DB",
            description = "Re-run the costliest SELECT shapes with EXPLAIN ANALYZE on this database (read-only, "
                    + "rolled back, time-limited) and add the rules' advice: a jdbc:postgresql:// URL, a "
                    + "postgres:// URI, or env (PGHOST, PGPORT, PGUSER, PGDATABASE, PGPASSWORD, PGSSLMODE, ~/.pgpass).")
    String db;

    @Option(names = "--explain-top", paramLabel = "N", defaultValue = "5",
            description = "With --db: explain the N shapes with the most total time, and the N with the slowest "
                    + "single execution, plus the shapes of N+1 loops (default: ${DEFAULT-VALUE}).")
    int explainTop;

    @Option(names = "--explain-min-ms", paramLabel = "MS", defaultValue = "10",
            description = "With --db: skip shapes whose slowest execution took less (default: ${DEFAULT-VALUE}).")
    double explainMinMs;

    @Option(names = "--explain-timeout", paramLabel = "DURATION", defaultValue = "30s",
            description = "With --db: statement_timeout of each EXPLAIN ANALYZE, e.g. 500ms, 30s, 2m "
                    + "(default: ${DEFAULT-VALUE}).")
    String explainTimeout;

    @Option(names = "--verify-indexes", paramLabel = "none|hypopg|transaction", defaultValue = "none",
            description = {
                "With --db: how suggested indexes are checked before they are recommended (default: ${DEFAULT-VALUE}).",
                "none: no index is built; when the hypopg extension is installed in the database, each index is "
                        + "still checked as a hypothetical index (nothing is written), else it is marked unverified.",
                "hypopg: the same, and a warning when hypopg is not installed.",
                "transaction: builds each index for real with CREATE INDEX in a transaction that is always "
                        + "rolled back, and reports EXPLAIN ANALYZE times before and after. This TAKES A SHARE "
                        + "LOCK ON THE TABLE (writes wait) for as long as the build takes (bounded by "
                        + "--explain-timeout and a 5 s lock_timeout) and needs the table owner's rights: not on a "
                        + "busy primary."
            })
    VerifyIndexes verifyIndexes = VerifyIndexes.none;

    /**
     * The database to explain on, or {@code null} without {@code --db}; checks every option of
     * the stage first, so that a mistake is a usage error before any log is read.
     */
    ConnectionSettings connection(CommandSpec spec) {
        if (db == null) {
            if (spec.commandLine().getParseResult() != null
                    && spec.commandLine().getParseResult().hasMatchedOption("--verify-indexes")) {
                throw new UsageException("--verify-indexes needs --db: indexes are checked on that database");
            }
            return null;
        }
        selection();
        statementTimeout();
        try {
            return ConnectionSettings.parse(db);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--db: " + e.getMessage());
        }
    }

    /** Which shapes to explain. */
    ExplainStage.Selection selection() {
        try {
            return new ExplainStage.Selection(explainTop, explainMinMs);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** The Explainer's options with {@code --explain-timeout}. */
    ExplainOptions explainOptions() {
        return ExplainOptions.defaults().withStatementTimeout(statementTimeout());
    }

    private Duration statementTimeout() {
        return durationOption("--explain-timeout", explainTimeout);
    }

    /** A duration option such as {@code 500ms}, {@code 30s}, {@code 5m}; a usage error when malformed. */
    static Duration durationOption(String option, String text) {
        try {
            return ExplainCommand.duration(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException(option + ": " + e.getMessage());
        }
    }
}
