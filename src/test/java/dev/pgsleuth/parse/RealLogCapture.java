package dev.pgsleuth.parse;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Starts a real PostgreSQL 17 once per test JVM, runs a known client workload over plain JDBC with
 * csvlog + jsonlog + auto_explain logging, stops the server (which flushes the collector) and
 * keeps the two log files. The constants below are what the client really ran; the tests compare
 * the interpreted entries against them.
 */
final class RealLogCapture {

    static final String APP_EXT = "capture-ext";
    static final String APP_SIMPLE = "capture-simple";
    static final String APP_LOGSTMT = "capture-logstmt";

    static final String CREATE = "CREATE TABLE items (id int PRIMARY KEY, name text, note text)";
    static final String INSERT = "INSERT INTO items (id, name, note) VALUES ($1, $2, $3)";
    static final String SELECT_BY_ID = "SELECT name, note FROM items WHERE id = $1";
    static final String TRICKY_NOTE = "it's, a \"quoted\"\nvalue";
    static final int INSERTED = 8;
    static final int SELECTED = 7;
    static final String MULTILINE_EXT = "SELECT id,\n       name\nFROM items\nWHERE id < 3\nORDER BY id";
    static final String ERROR_EXT = "SELECT * FROM no_such_table WHERE id = $1";
    static final String JSON_PLAN_QUERY = "SELECT count(*) FROM items WHERE name LIKE $1";
    static final String SIMPLE_COUNT = "SELECT count(*) FROM items";
    static final String SIMPLE_MULTILINE = "SELECT 'first line\nsecond, \"line\"' AS text,\n  2 AS n";
    static final String SIMPLE_ERROR = "SELECT 1/0";
    static final String LOGSTMT_SIMPLE = "SELECT 42 AS answer";
    static final String APP_LOGSTMT_EXT = "capture-logstmt-ext";
    static final String LOGSTMT_EXT = "SELECT $1::int + 1 AS next";
    static final int LOGSTMT_EXT_RUNS = 6;
    static final String OWN_STATEMENT = "/* pgsleuth */ SELECT count(*) FROM items";

    private static Captured captured;

    /** The two log files of one captured server run. */
    record Captured(Path csvlog, Path jsonlog) {
    }

    private RealLogCapture() {
    }

    static synchronized Captured get() {
        if (captured == null) {
            try {
                captured = capture();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
        return captured;
    }

    private static Captured capture() throws IOException, SQLException {
        Path logDir = Files.createTempDirectory("pgsleuth-formats-log");
        // the server runs as `nobody` when the tests run as root
        Files.setPosixFilePermissions(logDir, PosixFilePermissions.fromString("rwxrwxrwx"));
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setServerConfig("logging_collector", "on")
                .setServerConfig("log_destination", "csvlog,jsonlog")
                .setServerConfig("log_directory", logDir.toString())
                .setServerConfig("log_filename", "capture.log")
                .setServerConfig("log_min_duration_statement", "0")
                .setServerConfig("session_preload_libraries", "auto_explain")
                .setServerConfig("auto_explain.log_min_duration", "0")
                .setServerConfig("lc_messages", "C")
                .start();
        try {
            runWorkload(pg);
        } finally {
            pg.close();
        }
        Path csv = logDir.resolve("capture.csv");
        Path json = logDir.resolve("capture.json");
        if (!Files.exists(csv) || !Files.exists(json)) {
            try (Stream<Path> files = Files.list(logDir)) {
                throw new IllegalStateException("log files missing, found " + files.toList());
            }
        }
        return new Captured(csv, json);
    }

    private static Connection connect(EmbeddedPostgres pg, String app, boolean simple) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("ApplicationName", app);
        if (simple) {
            p.setProperty("preferQueryMode", "simple");
        }
        return DriverManager.getConnection(pg.getJdbcUrl("postgres", "postgres"), p);
    }

    private static void runWorkload(EmbeddedPostgres pg) throws SQLException {
        try (Connection c = connect(pg, APP_EXT, false)) {
            try (Statement s = c.createStatement()) {
                s.execute(CREATE);
            }
            try (PreparedStatement ps = c.prepareStatement(INSERT.replaceAll("\\$\\d", "?"))) {
                for (int id = 1; id <= INSERTED; id++) {
                    ps.setInt(1, id);
                    ps.setString(2, "name" + id);
                    ps.setString(3, id == 3 ? TRICKY_NOTE : id == 4 ? null : "note" + id);
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement(SELECT_BY_ID.replace("$1", "?"))) {
                for (int id = 1; id <= SELECTED; id++) {
                    ps.setInt(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            rs.getString(1);
                        }
                    }
                }
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(MULTILINE_EXT)) {
                while (rs.next()) {
                    rs.getInt(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement(ERROR_EXT.replace("$1", "?"))) {
                ps.setInt(1, 1);
                ps.executeQuery();
                throw new IllegalStateException("expected an error");
            } catch (SQLException expected) {
                // the server logs the ERROR with the STATEMENT text
            }
            try (Statement s = c.createStatement()) {
                s.execute("SET auto_explain.log_format = 'json'");
            }
            try (PreparedStatement ps = c.prepareStatement(JSON_PLAN_QUERY.replace("$1", "?"))) {
                ps.setString(1, "name%");
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                }
            }
        }
        try (Connection c = connect(pg, APP_SIMPLE, true); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery(SIMPLE_COUNT)) {
                rs.next();
            }
            try (ResultSet rs = s.executeQuery(SIMPLE_MULTILINE)) {
                rs.next();
            }
            try {
                s.executeQuery(SIMPLE_ERROR);
                throw new IllegalStateException("expected an error");
            } catch (SQLException expected) {
                // division by zero, logged as ERROR with STATEMENT
            }
        }
        try (Connection c = connect(pg, APP_LOGSTMT, true); Statement s = c.createStatement()) {
            s.execute("SET log_statement = 'all'");
            try (ResultSet rs = s.executeQuery(LOGSTMT_SIMPLE)) {
                rs.next();
            }
        }
        try (Connection c = connect(pg, APP_LOGSTMT_EXT, false)) {
            try (Statement s = c.createStatement()) {
                s.execute("SET log_statement = 'all'");
            }
            try (PreparedStatement ps = c.prepareStatement(LOGSTMT_EXT.replace("$1", "?"))) {
                for (int i = 1; i <= LOGSTMT_EXT_RUNS; i++) {
                    ps.setInt(1, i);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                    }
                }
            }
        }
        try (Connection c = connect(pg, "pgsleuth", false); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(OWN_STATEMENT)) {
            rs.next();
        }
    }
}
