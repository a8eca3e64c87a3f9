package dev.pgsleuth.model;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * One log record of a PostgreSQL server, whatever format it was written in: a prefix line with its
 * continuation lines and its DETAIL / HINT / CONTEXT / QUERY / STATEMENT siblings, one csvlog
 * record, or one jsonlog object.
 *
 * <p>The first group of fields is what the server wrote (absent ones are {@code null}, or -1 for
 * numbers). The second group is the statement the entry describes, filled by the statement
 * interpreter: {@code statement} is the SQL text (for an error, the text of its STATEMENT line),
 * {@code durationMs} is {@code NaN} when no duration was logged, {@code parameters} holds the
 * bind values of {@code $1, $2, …} in order ({@code null} for SQL NULL), {@code plan} is an
 * auto_explain plan (text or JSON) attached to this statement.
 *
 * @param timestamp     time of the entry, with the zone the server logged
 * @param pid           backend process id, or -1
 * @param sessionId     {@code %c} / csv session_id, or {@code null}
 * @param sessionLine   {@code %l}, the line number within the session, or -1
 * @param user          user name
 * @param database      database name
 * @param application   application_name
 * @param client        client host (and port, as logged)
 * @param severity      message severity
 * @param sqlState      SQLSTATE code ({@code %e}), or {@code null}
 * @param message       the primary message as logged, e.g. {@code duration: 1.2 ms  statement: …}
 * @param detail        DETAIL text
 * @param hint          HINT text
 * @param context       CONTEXT text
 * @param internalQuery QUERY text (the internal query an error refers to)
 * @param statement     SQL text of the statement this entry describes
 * @param phase         protocol phase of {@code statement}, {@code null} if it is no statement line
 * @param preparedName  prepared statement name (extended protocol), {@code null} if unnamed
 * @param durationMs    duration in milliseconds, or {@code NaN}
 * @param parameters    bind parameter values, empty when none were logged
 * @param plan          auto_explain plan text, or {@code null}
 * @param position      where the entry starts in its input
 */
public record LogEntry(
        OffsetDateTime timestamp,
        int pid,
        String sessionId,
        long sessionLine,
        String user,
        String database,
        String application,
        String client,
        Severity severity,
        String sqlState,
        String message,
        String detail,
        String hint,
        String context,
        String internalQuery,
        String statement,
        StatementPhase phase,
        String preparedName,
        double durationMs,
        List<String> parameters,
        String plan,
        SourcePosition position) {

    public LogEntry {
        parameters = parameters == null ? List.of() : parameters;
    }

    /** True when a duration was logged for this entry. */
    public boolean hasDuration() {
        return !Double.isNaN(durationMs);
    }

    /** True when this entry is the one that counts a statement execution (simple or execute). */
    public boolean isExecution() {
        return statement != null && (phase == StatementPhase.SIMPLE || phase == StatementPhase.EXECUTE);
    }

    /**
     * The key that groups entries of one database session: the session id when the format gives
     * one, else the backend pid.
     */
    public String sessionKey() {
        if (sessionId != null) {
            return sessionId;
        }
        return pid >= 0 ? "pid:" + pid : "unknown";
    }

    /** A builder, since most formats fill only some of the fields. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns a builder holding this entry's values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Mutable builder of {@link LogEntry}; a reader reuses none across entries. */
    public static final class Builder {
        private OffsetDateTime timestamp;
        private int pid = -1;
        private String sessionId;
        private long sessionLine = -1;
        private String user;
        private String database;
        private String application;
        private String client;
        private Severity severity;
        private String sqlState;
        private String message;
        private String detail;
        private String hint;
        private String context;
        private String internalQuery;
        private String statement;
        private StatementPhase phase;
        private String preparedName;
        private double durationMs = Double.NaN;
        private List<String> parameters = List.of();
        private String plan;
        private SourcePosition position;

        private Builder() {
        }

        private Builder(LogEntry e) {
            timestamp = e.timestamp;
            pid = e.pid;
            sessionId = e.sessionId;
            sessionLine = e.sessionLine;
            user = e.user;
            database = e.database;
            application = e.application;
            client = e.client;
            severity = e.severity;
            sqlState = e.sqlState;
            message = e.message;
            detail = e.detail;
            hint = e.hint;
            context = e.context;
            internalQuery = e.internalQuery;
            statement = e.statement;
            phase = e.phase;
            preparedName = e.preparedName;
            durationMs = e.durationMs;
            parameters = e.parameters;
            plan = e.plan;
            position = e.position;
        }

        public Builder timestamp(OffsetDateTime v) { timestamp = v; return this; }
        public Builder pid(int v) { pid = v; return this; }
        public Builder sessionId(String v) { sessionId = v; return this; }
        public Builder sessionLine(long v) { sessionLine = v; return this; }
        public Builder user(String v) { user = v; return this; }
        public Builder database(String v) { database = v; return this; }
        public Builder application(String v) { application = v; return this; }
        public Builder client(String v) { client = v; return this; }
        public Builder severity(Severity v) { severity = v; return this; }
        public Builder sqlState(String v) { sqlState = v; return this; }
        public Builder message(String v) { message = v; return this; }
        public Builder detail(String v) { detail = v; return this; }
        public Builder hint(String v) { hint = v; return this; }
        public Builder context(String v) { context = v; return this; }
        public Builder internalQuery(String v) { internalQuery = v; return this; }
        public Builder statement(String v) { statement = v; return this; }
        public Builder phase(StatementPhase v) { phase = v; return this; }
        public Builder preparedName(String v) { preparedName = v; return this; }
        public Builder durationMs(double v) { durationMs = v; return this; }
        public Builder parameters(List<String> v) { parameters = v; return this; }
        public Builder plan(String v) { plan = v; return this; }
        public Builder position(SourcePosition v) { position = v; return this; }

        public OffsetDateTime timestamp() { return timestamp; }
        public int pid() { return pid; }
        public String sessionId() { return sessionId; }
        public Severity severity() { return severity; }
        public String message() { return message; }
        public String detail() { return detail; }
        public String statement() { return statement; }
        public StatementPhase phase() { return phase; }
        public String preparedName() { return preparedName; }
        public double durationMs() { return durationMs; }
        public List<String> parameters() { return parameters; }
        public SourcePosition position() { return position; }

        public LogEntry build() {
            return new LogEntry(timestamp, pid, sessionId, sessionLine, user, database, application,
                    client, severity, sqlState, message, detail, hint, context, internalQuery,
                    statement, phase, preparedName, durationMs, parameters, plan, position);
        }
    }
}
