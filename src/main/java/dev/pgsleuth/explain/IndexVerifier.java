package dev.pgsleuth.explain;

import dev.pgsleuth.model.Plan;
import dev.pgsleuth.model.PlanNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Checks a suggested index against the planner before pgsleuth recommends it, on the
 * {@link Explainer}'s session and with its timeouts.
 *
 * <p><b>hypopg</b> (whenever the extension is installed in the database, in every mode): inside
 * {@code BEGIN READ ONLY}, plain {@code EXPLAIN} of the statement, {@code hypopg_create_index(…)},
 * plain {@code EXPLAIN} again, {@code ROLLBACK}, then {@code hypopg_reset()}. hypopg keeps its
 * hypothetical indexes in the backend's memory only: it writes no catalog row, no WAL, takes no
 * lock on the table, and (since 1.1, with {@code hypopg.use_real_oids} off, the default) takes no
 * real OID, so its functions run in a read-only transaction (checked with hypopg 1.3.1 on
 * PostgreSQL 15), and the read-only discipline of the Explainer holds unchanged. Because memory is
 * not transactional, the rollback does not remove the index: {@code hypopg_reset()} does, after
 * the rollback so that it runs even when the transaction failed. hypopg affects only plain
 * {@code EXPLAIN} (the index does not exist for execution), so the check compares estimated costs.
 *
 * <p><b>transaction</b> (only with {@link Mode#TRANSACTION}, which only {@code analyze
 * --verify-indexes=transaction} asks for): {@code EXPLAIN ANALYZE} in the usual read-only
 * transaction; then {@code BEGIN READ WRITE}, the same statement and lock timeouts, a real
 * {@code CREATE INDEX} (not {@code CONCURRENTLY}, which cannot run in a transaction), {@code SET
 * TRANSACTION READ ONLY} (allowed once writes happened, so the statement itself runs read-only
 * again), {@code EXPLAIN ANALYZE}, and always {@code ROLLBACK}. The build holds a SHARE lock on the
 * table until the rollback: writers wait for as long as the build and one execution take. This is
 * the one place pgsleuth sends DDL; the index statement is taken apart first ({@link IndexStatement})
 * and a build that would call a function other than {@code lower}/{@code upper} is refused.
 *
 * <p>Never throws for database trouble: a failed check is an {@link IndexCheck.Method#NONE} result
 * with the reason. Not thread-safe, like the Explainer whose session it uses.
 */
public final class IndexVerifier {

    /** What {@code --verify-indexes} asked for. */
    public enum Mode {
        /** Build no index; check with hypopg when the extension is installed (the default). */
        NONE,
        /** Same as {@link #NONE}, asked for explicitly: the user wants to hear when hypopg is missing. */
        HYPOPG,
        /** Build each index for real in a rolled-back transaction (locks the table while it builds). */
        TRANSACTION
    }

    private final Explainer explainer;
    private final Mode mode;
    private final SafetyGuard guard = new SafetyGuard();
    private Connection knownSession;
    private String hypopgSchema;
    private String missing;

    public IndexVerifier(Explainer explainer, Mode mode) {
        this.explainer = explainer;
        this.mode = mode;
    }

    /** The mode it was made with. */
    public Mode mode() {
        return mode;
    }

    /**
     * Why hypopg could not be used, when a check wanted it and it was missing (for a warning), else
     * {@code null}.
     */
    public String hypopgMissing() {
        return missing;
    }

    /**
     * Checks one suggested index on the statement it is meant for.
     *
     * @param sql        the statement, with {@code $n} placeholders or literal values
     * @param parameters values of {@code $1, $2, …} ({@code null} for SQL NULL); fewer than the
     *                   placeholders gives generic plans
     * @param suggestion the suggestion's SQL: one {@code CREATE INDEX}, maybe after
     *                   {@code CREATE EXTENSION IF NOT EXISTS} lines
     */
    public IndexCheck check(String sql, List<String> parameters, String suggestion) {
        IndexStatement index;
        try {
            index = IndexStatement.parse(suggestion);
        } catch (IllegalArgumentException e) {
            return IndexCheck.none(e.getMessage());
        }
        SafetyGuard.Verdict verdict = guard.check(sql);
        if (!verdict.allowed()) {
            return IndexCheck.none("the statement is not run: " + verdict.reason());
        }
        List<String> values = parameters == null ? List.of() : parameters;
        try {
            Connection session = explainer.session();
            if (session != knownSession) {
                hypopgSchema = extensionSchema(session, "hypopg");
                knownSession = session;
            }
            for (String extension : index.extensions()) {
                if (extensionSchema(session, extension) == null) {
                    return IndexCheck.none("the index needs the extension " + extension + ", which is not installed");
                }
            }
            if (mode == Mode.TRANSACTION) {
                return buildInTransaction(session, verdict.statement(), values, index);
            }
            if (hypopgSchema == null) {
                missing = "the hypopg extension is not installed in the database (CREATE EXTENSION hypopg)";
                return IndexCheck.none(missing + ": the index is unverified");
            }
            return hypothetical(session, verdict.statement(), values, index);
        } catch (SQLException e) {
            return IndexCheck.none(failure(e));
        }
    }

    private IndexCheck hypothetical(Connection session, String statement, List<String> values, IndexStatement index)
            throws SQLException {
        String schema = quoteIdent(hypopgSchema);
        try (Statement st = session.createStatement()) {
            try {
                explainer.begin(st, true);
                Plan before = explainer.plan(st, statement, values, false);
                String name;
                try (PreparedStatement ps = session.prepareStatement(Explainer.MARKER
                        + "SELECT indexname FROM " + schema + ".hypopg_create_index(?)")) {
                    ps.setString(1, index.sql());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        name = rs.getString(1);
                    }
                }
                Plan after = explainer.plan(st, statement, values, false);
                return new IndexCheck(IndexCheck.Method.HYPOPG, index.sql(), cost(before), cost(after),
                        uses(after, name), null, null, before.generic() ? "generic plans: no values for the placeholders" : null);
            } finally {
                explainer.end(st);
                st.execute(Explainer.MARKER + "SELECT " + schema + ".hypopg_reset()");
            }
        }
    }

    private IndexCheck buildInTransaction(Connection session, String statement, List<String> values,
                                          IndexStatement index) throws SQLException {
        String function = index.functionNotAllowedInBuild();
        if (function != null) {
            return IndexCheck.none("the index calls " + function + "(), which pgsleuth does not run in a real "
                    + "index build (only " + String.join(", ", IndexStatement.BUILD_FUNCTIONS) + ")");
        }
        if (index.name() == null) {
            return IndexCheck.none("the index statement has no name, so its use cannot be told in the plan");
        }
        try (Statement st = session.createStatement()) {
            Plan before;
            try {
                explainer.begin(st, true);
                before = explainer.plan(st, statement, values, true);
            } finally {
                explainer.end(st);
            }
            try {
                explainer.begin(st, false);
                st.execute(Explainer.MARKER + index.sql());
                // back to read-only before the statement runs: the index stays visible, writes are refused
                st.execute(Explainer.MARKER + "SET TRANSACTION READ ONLY");
                Plan after = explainer.plan(st, statement, values, true);
                return new IndexCheck(IndexCheck.Method.TRANSACTION, index.sql(), cost(before), cost(after),
                        uses(after, index.name()), ms(before), ms(after),
                        before.analyzed() ? null : "generic plans: no values for the placeholders, so no times");
            } finally {
                explainer.end(st);
            }
        }
    }

    private static String extensionSchema(Connection session, String extension) throws SQLException {
        try (PreparedStatement ps = session.prepareStatement(Explainer.MARKER
                + "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = ?")) {
            ps.setString(1, extension);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static boolean uses(Plan plan, String index) {
        for (PlanNode node : plan.nodes()) {
            if (index.equals(node.index())) {
                return true;
            }
        }
        return false;
    }

    private static Double cost(Plan plan) {
        return Math.round(plan.root().totalCost() * 100.0) / 100.0;
    }

    private static Double ms(Plan plan) {
        return plan.executionMs() < 0 ? null : Math.round(plan.executionMs() * 1000.0) / 1000.0;
    }

    private String failure(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String what = mode == Mode.TRANSACTION ? "the index build" : "the hypothetical index check";
        if (state.equals("57014")) {
            return what + " was cancelled by statement_timeout (" + explainer.options().statementTimeout().toMillis() + " ms)";
        }
        if (state.equals("55P03")) {
            return what + " was cancelled by lock_timeout (" + explainer.options().lockTimeout().toMillis() + " ms)";
        }
        return what + " failed: " + explainer.describe(e);
    }

    private static String quoteIdent(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
