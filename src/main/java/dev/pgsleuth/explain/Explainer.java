package dev.pgsleuth.explain;

import dev.pgsleuth.explain.ExplainResult.Status;
import dev.pgsleuth.model.Plan;
import dev.pgsleuth.rules.CatalogFacts;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The only part of pgsleuth that talks to a database: it runs {@code EXPLAIN (ANALYZE, BUFFERS,
 * VERBOSE, SETTINGS, FORMAT JSON)} on statements the {@link SafetyGuard} allows, on one connection
 * named {@code pgsleuth} whose session is read-only, each time inside {@code BEGIN READ ONLY …
 * ROLLBACK} with local statement, lock and idle-in-transaction timeouts and a driver socket timeout
 * above them. Every statement it sends starts with the marker comment {@code pgsleuth} (see
 * {@link #MARKER}), so that log readers can skip them.
 *
 * <p>{@code $n} placeholders are bound as parameters from the values given (never spliced into the
 * text). Without values the plan is generic: {@code EXPLAIN (GENERIC_PLAN)} on PostgreSQL 16+, else
 * {@code PREPARE} with {@code plan_cache_mode = force_generic_plan}; a generic plan has no timings.
 * With the plan come the catalog facts of its tables (indexes, foreign keys, statistics), read in
 * the same read-only transaction.
 *
 * <p>{@link #explain} never throws for database trouble: an unreachable server gives an
 * {@link Status#UNAVAILABLE} result and a back-off during which no connection is attempted; rate
 * limits per fingerprint and per minute give {@link Status#RATE_LIMITED}. Not thread-safe: one
 * caller at a time, like the one connection it holds.
 */
public final class Explainer implements AutoCloseable {

    /** The comment that starts every statement pgsleuth sends. */
    public static final String MARKER = "/* pgsleuth */ ";
    private static final String GENERIC_STATEMENT = "pgsleuth_generic";

    private final ConnectionSettings settings;
    private final ExplainOptions options;
    private final Clock clock;
    private final SafetyGuard guard = new SafetyGuard();
    private final RateLimiter limiter;

    private Connection connection;
    private int serverMajorVersion;
    private boolean preparedOpen;
    private Instant retryAfter = Instant.MIN;
    private Duration backoff;
    private String lastFailure;

    /** An explainer with the default options and the system clock. */
    public Explainer(ConnectionSettings settings) {
        this(settings, ExplainOptions.defaults(), Clock.systemUTC());
    }

    public Explainer(ConnectionSettings settings, ExplainOptions options, Clock clock) {
        this.settings = settings;
        this.options = options;
        this.clock = clock;
        this.limiter = new RateLimiter(clock, options.perFingerprintInterval(), options.maxPerMinute());
        this.backoff = options.initialBackoff();
    }

    /**
     * Explains one statement.
     *
     * @param fingerprint the statement's shape, for the per-fingerprint rate limit
     * @param sql         the statement, with {@code $n} placeholders or literal values
     * @param parameters  values of {@code $1, $2, …} in order ({@code null} for SQL NULL); empty for none
     */
    public ExplainResult explain(String fingerprint, String sql, List<String> parameters) {
        SafetyGuard.Verdict verdict = guard.check(sql);
        if (!verdict.allowed()) {
            return ExplainResult.without(Status.REFUSED, verdict.reason());
        }
        Instant now = clock.instant();
        if (now.isBefore(retryAfter)) {
            return ExplainResult.without(Status.UNAVAILABLE, "the database is unavailable (" + lastFailure
                    + "); next attempt after " + retryAfter);
        }
        String limited = limiter.acquire(fingerprint == null ? sql : fingerprint);
        if (limited != null) {
            return ExplainResult.without(Status.RATE_LIMITED, limited);
        }
        List<String> values = parameters == null ? List.of() : parameters;
        boolean reused = connection != null;
        try {
            connect();
        } catch (SQLException e) {
            return unavailable(e);
        }
        try {
            return succeeded(run(verdict.statement(), values));
        } catch (SQLException e) {
            if (!reused || !connectionLost(e)) {
                return failure(e);
            }
        }
        // the connection kept from an earlier call was closed meanwhile (server restart, idle
        // timeout, terminated backend): one fresh connection, then the usual handling
        closeQuietly();
        try {
            connect();
            return succeeded(run(verdict.statement(), values));
        } catch (SQLException e) {
            return connection == null ? unavailable(e) : failure(e);
        }
    }

    private ExplainResult succeeded(ExplainResult result) {
        backoff = options.initialBackoff();
        return result;
    }

    private boolean connectionLost(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        return state.startsWith("08") || state.equals("57P01") || isClosed();
    }

    private ExplainResult run(String statement, List<String> parameters) throws SQLException {
        try (Statement st = connection.createStatement()) {
            begin(st, true);
            try {
                Plan plan = plan(st, statement, parameters, true);
                CatalogFacts facts = catalog(plan.relations());
                return new ExplainResult(Status.OK, null, plan, facts);
            } finally {
                end(st);
            }
        }
    }

    /**
     * Opens a transaction with the local statement, lock and idle-in-transaction timeouts. Read-only
     * unless {@code readOnly} is false, which only the opt-in index build of {@link IndexVerifier} asks.
     */
    void begin(Statement st, boolean readOnly) throws SQLException {
        st.execute(MARKER + (readOnly ? "BEGIN READ ONLY" : "BEGIN READ WRITE"));
        st.execute(MARKER + "SET LOCAL statement_timeout = " + options.statementTimeout().toMillis());
        st.execute(MARKER + "SET LOCAL lock_timeout = " + options.lockTimeout().toMillis());
        st.execute(MARKER + "SET LOCAL idle_in_transaction_session_timeout = "
                + options.idleInTransactionTimeout().toMillis());
    }

    /** Rolls the transaction back, and drops the generic-plan statement a failure left prepared. */
    void end(Statement st) throws SQLException {
        st.execute(MARKER + "ROLLBACK");
        if (preparedOpen) {
            st.execute(MARKER + "DEALLOCATE " + GENERIC_STATEMENT);
            preparedOpen = false;
        }
    }

    /**
     * The plan of a statement the guard allowed, inside the open transaction: {@code EXPLAIN (ANALYZE,
     * BUFFERS, VERBOSE, SETTINGS)} when {@code analyze} and there are values for every placeholder,
     * plain {@code EXPLAIN} (estimates only) otherwise, generic when values are missing.
     */
    Plan plan(Statement st, String statement, List<String> parameters, boolean analyze) throws SQLException {
        List<SqlScanner.Token> tokens = SqlScanner.tokens(statement);
        int placeholders = SqlScanner.maxParameter(tokens);
        boolean generic = placeholders > 0 && parameters.size() < placeholders;
        String explain = analyze ? "EXPLAIN (ANALYZE, BUFFERS, VERBOSE, SETTINGS, FORMAT JSON) "
                : "EXPLAIN (VERBOSE, SETTINGS, FORMAT JSON) ";
        String json;
        if (!generic && placeholders > 0) {
            json = explainWithValues(explain, statement, parameters);
        } else if (!generic) {
            json = single(st, MARKER + explain + statement);
        } else if (serverMajorVersion >= 16 && !options.legacyGenericPlan()) {
            json = single(st, MARKER + "EXPLAIN (GENERIC_PLAN, VERBOSE, SETTINGS, FORMAT JSON) " + statement);
        } else {
            st.execute(MARKER + "PREPARE " + GENERIC_STATEMENT + " AS " + statement);
            preparedOpen = true;
            st.execute(MARKER + "SET LOCAL plan_cache_mode = force_generic_plan");
            String nulls = String.join(", ", java.util.Collections.nCopies(placeholders, "NULL"));
            json = single(st, MARKER + "EXPLAIN (VERBOSE, SETTINGS, FORMAT JSON) EXECUTE " + GENERIC_STATEMENT
                    + "(" + nulls + ")");
            // deallocated at once so that a second plan in the same transaction can prepare it again
            st.execute(MARKER + "DEALLOCATE " + GENERIC_STATEMENT);
            preparedOpen = false;
        }
        return PlanParser.parse(json, generic);
    }

    /** Binds the values as parameters of a prepared statement; the server infers their types. */
    private String explainWithValues(String explain, String statement, List<String> parameters) throws SQLException {
        List<Integer> order = new ArrayList<>();
        String jdbc = SqlScanner.toJdbc(statement, order);
        try (PreparedStatement ps = connection.prepareStatement(MARKER + explain + jdbc)) {
            for (int i = 0; i < order.size(); i++) {
                String value = parameters.get(order.get(i) - 1);
                if (value == null) {
                    ps.setNull(i + 1, Types.OTHER);
                } else {
                    ps.setObject(i + 1, value, Types.OTHER);
                }
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private static String single(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Reads the indexes, foreign keys and statistics of these tables, inside the open read-only transaction. */
    private CatalogFacts catalog(Collection<String> tables) throws SQLException {
        if (tables.isEmpty()) {
            return CatalogFacts.empty();
        }
        Array names = connection.createArrayOf("text", tables.toArray());
        Map<String, List<CatalogFacts.Index>> indexes = new HashMap<>();
        try (PreparedStatement ps = connection.prepareStatement(MARKER + """
                SELECT c.relname, i.relname, am.amname,
                       ARRAY(SELECT a.attname::text FROM unnest(x.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
                             LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
                             WHERE k.ord <= x.indnkeyatts ORDER BY k.ord),
                       x.indpred IS NOT NULL, x.indisvalid, pg_get_indexdef(x.indexrelid)
                FROM pg_index x
                JOIN pg_class c ON c.oid = x.indrelid
                JOIN pg_class i ON i.oid = x.indexrelid
                JOIN pg_am am ON am.oid = i.relam
                WHERE c.relname::text = ANY (?) AND pg_table_is_visible(c.oid)
                ORDER BY c.relname, i.relname""")) {
            ps.setArray(1, names);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    List<String> columns = Arrays.asList((String[]) rs.getArray(4).getArray());
                    indexes.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new CatalogFacts.Index(
                            rs.getString(1), rs.getString(2), rs.getString(3), columns, rs.getBoolean(5),
                            rs.getBoolean(6), rs.getString(7)));
                }
            }
        }
        List<CatalogFacts.ForeignKey> foreignKeys = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(MARKER + """
                SELECT c.relname, k.conname,
                       ARRAY(SELECT a.attname::text FROM unnest(k.conkey) WITH ORDINALITY u(n, o)
                             JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.n ORDER BY u.o),
                       r.relname,
                       ARRAY(SELECT a.attname::text FROM unnest(k.confkey) WITH ORDINALITY u(n, o)
                             JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.n ORDER BY u.o)
                FROM pg_constraint k
                JOIN pg_class c ON c.oid = k.conrelid
                JOIN pg_class r ON r.oid = k.confrelid
                WHERE k.contype = 'f' AND c.relname::text = ANY (?) AND pg_table_is_visible(c.oid)
                ORDER BY c.relname, k.conname""")) {
            ps.setArray(1, names);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    foreignKeys.add(new CatalogFacts.ForeignKey(rs.getString(1), rs.getString(2),
                            List.of((String[]) rs.getArray(3).getArray()), rs.getString(4),
                            List.of((String[]) rs.getArray(5).getArray())));
                }
            }
        }
        Map<String, Double> rows = new HashMap<>();
        Map<String, Double> distinct = new HashMap<>();
        try (PreparedStatement ps = connection.prepareStatement(MARKER + """
                SELECT c.relname, c.reltuples, s.attname,
                       CASE WHEN s.n_distinct < 0 THEN -s.n_distinct * c.reltuples ELSE s.n_distinct END
                FROM pg_class c
                LEFT JOIN pg_stats s ON s.tablename = c.relname
                     AND s.schemaname = c.relnamespace::regnamespace::text AND NOT s.inherited
                WHERE c.relname::text = ANY (?) AND c.relkind IN ('r', 'p', 'm') AND pg_table_is_visible(c.oid)""")) {
            ps.setArray(1, names);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.put(rs.getString(1), rs.getDouble(2));
                    if (rs.getString(3) != null) {
                        distinct.put(rs.getString(1) + "." + rs.getString(3), rs.getDouble(4));
                    }
                }
            }
        }
        return new CatalogFacts(indexes, foreignKeys, rows, distinct);
    }

    private void connect() throws SQLException {
        if (connection != null && !connection.isClosed()) {
            return;
        }
        Properties props = settings.properties();
        props.setProperty("ApplicationName", "pgsleuth");
        props.setProperty("connectTimeout", Long.toString(Math.max(1, options.connectTimeout().toSeconds())));
        props.setProperty("socketTimeout", Long.toString(options.socketTimeout().toSeconds()));
        props.setProperty("tcpKeepAlive", "true");
        // plain statements (GENERIC_PLAN with unbound $n) need the simple protocol; values still go
        // through prepared statements and the extended protocol, bound, never inlined by the driver
        props.setProperty("preferQueryMode", "extendedForPrepared");
        connection = DriverManager.getConnection(settings.jdbcUrl(), props);
        connection.setAutoCommit(true);
        serverMajorVersion = connection.getMetaData().getDatabaseMajorVersion();
        try (Statement st = connection.createStatement()) {
            // every transaction of this session is read-only by default, on top of BEGIN READ ONLY
            st.execute(MARKER + "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY");
        }
    }

    private ExplainResult failure(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (connectionLost(e)) {
            return unavailable(e);
        }
        String message = settings.redact(firstLine(e.getMessage()));
        if (state.equals("57014")) {
            return ExplainResult.without(Status.TIMED_OUT, "cancelled by statement_timeout ("
                    + options.statementTimeout().toMillis() + " ms)");
        }
        if (state.equals("55P03")) {
            return ExplainResult.without(Status.TIMED_OUT, "cancelled by lock_timeout ("
                    + options.lockTimeout().toMillis() + " ms): " + message);
        }
        return ExplainResult.without(Status.FAILED, "the database rejected the statement: " + message);
    }

    private ExplainResult unavailable(SQLException e) {
        closeQuietly();
        lastFailure = settings.redact(firstLine(e.getMessage()));
        retryAfter = clock.instant().plus(backoff);
        Duration next = backoff.multipliedBy(2);
        backoff = next.compareTo(options.maxBackoff()) > 0 ? options.maxBackoff() : next;
        return ExplainResult.without(Status.UNAVAILABLE, "cannot reach " + settings + ": " + lastFailure
                + "; next attempt after " + retryAfter);
    }

    private boolean isClosed() {
        try {
            return connection == null || connection.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    private void closeQuietly() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the connection is being discarded because it failed; a second failure adds nothing
            }
            connection = null;
        }
        preparedOpen = false;
    }

    /**
     * The session's connection, connecting first, for the {@link IndexVerifier}: it checks an index
     * on the statement just explained, in the same session and with the same options.
     */
    Connection session() throws SQLException {
        connect();
        return connection;
    }

    ExplainOptions options() {
        return options;
    }

    /** An error message fit for the report: its first line, without the password. */
    String describe(SQLException e) {
        return settings.redact(firstLine(e.getMessage()));
    }

    /** Closes the connection. */
    @Override
    public void close() {
        closeQuietly();
    }
}
