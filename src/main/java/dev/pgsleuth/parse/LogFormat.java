package dev.pgsleuth.parse;

/** The log formats pgsleuth reads; {@code --log-format} takes their lower-case names. */
public enum LogFormat {
    /** stderr output (also the logging collector's .log files) with a log_line_prefix. */
    STDERR,
    /** log_destination=csvlog, PostgreSQL 9.0 to 17 column counts. */
    CSVLOG,
    /** log_destination=jsonlog, PostgreSQL 15+. */
    JSONLOG,
    /** syslog lines ({@code [seq-chunk]} pieces, {@code #011} tabs). */
    SYSLOG,
    /** Google Cloud SQL JSON export, the stderr line in {@code textPayload}. */
    CLOUDSQL,
    /** CloudNativePG JSON, the csvlog fields under {@code record}. */
    CNPG,
    /** Heroku logplex drain lines. */
    HEROKU;

    public String cliName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
