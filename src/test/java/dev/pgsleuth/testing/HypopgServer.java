package dev.pgsleuth.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pgsleuth.explain.ConnectionSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;

/**
 * A real PostgreSQL with the hypopg extension, for the tests of hypothetical-index checks: the
 * embedded PostgreSQL 17 has no hypopg, so these tests use a server outside the JVM, Debian's
 * PostgreSQL 15 with {@code postgresql-15-hypopg}, which {@code .ci/run} installs, starts and
 * prepares (role, database, {@code CREATE EXTENSION hypopg}).
 *
 * <p>Where: {@code PGSLEUTH_HYPOPG_DB} (a {@code postgres://} URI), by default the role and database
 * {@code .ci/run} creates on localhost:5432. When the server or the extension is missing the tests
 * are skipped, unless {@code PGSLEUTH_REQUIRE_HYPOPG=1} (set by {@code .ci/run}): then they fail,
 * so that CI cannot pass without having run them.
 */
public final class HypopgServer {

    /** The URI used without {@code PGSLEUTH_HYPOPG_DB}. */
    public static final String DEFAULT_URI = "postgres://pgsleuth_test:pgsleuth_test@localhost:5432/pgsleuth_test";

    private static HypopgServer instance;

    private final String uri;
    private final ConnectionSettings settings;

    private HypopgServer(String uri) {
        this.uri = uri;
        this.settings = ConnectionSettings.parse(uri, Map.of(), null, System.getProperty("user.name"));
    }

    /**
     * The server, with hypopg installed and the table {@code hypo_orders} seeded (200,000 rows); skips
     * or fails the calling test as the class doc says when it is not there.
     */
    public static synchronized HypopgServer require() {
        if (instance != null) {
            return instance;
        }
        String uri = System.getenv().getOrDefault("PGSLEUTH_HYPOPG_DB", DEFAULT_URI);
        boolean required = "1".equals(System.getenv("PGSLEUTH_REQUIRE_HYPOPG"));
        HypopgServer server = new HypopgServer(uri);
        String problem = null;
        try (Connection c = server.connect(); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT extversion FROM pg_extension WHERE extname = 'hypopg'")) {
                if (!rs.next()) {
                    problem = "the hypopg extension is not installed in " + server.settings
                            + " (as a superuser: CREATE EXTENSION hypopg)";
                }
            }
            if (problem == null) {
                try {
                    seed(st);
                } catch (SQLException e) {
                    // the server is there and ready: a failing seed is a broken test set-up, never a skip
                    throw new IllegalStateException("seeding hypo_orders in " + server.settings + " failed", e);
                }
            }
        } catch (SQLException e) {
            problem = "no PostgreSQL at " + server.settings + ": " + e.getMessage();
        }
        if (problem != null) {
            if (required) {
                fail("PGSLEUTH_REQUIRE_HYPOPG=1 but " + problem);
            }
            assumeTrue(false, problem + " (set PGSLEUTH_HYPOPG_DB, or run .ci/run)");
        }
        instance = server;
        return server;
    }

    /** Settings for pgsleuth's own connection. */
    public ConnectionSettings settings() {
        return settings;
    }

    /** The URI, for {@code --db}. */
    public String uri() {
        return uri;
    }

    /** A direct connection for the test's own checks. */
    public Connection connect() throws SQLException {
        Properties p = settings.properties();
        p.setProperty("connectTimeout", "5");
        return DriverManager.getConnection(settings.jdbcUrl(), p);
    }

    /** md5 over every row of a table in id order. */
    public String checksum(String table) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT md5(string_agg(t::text, '|' ORDER BY t.id)) FROM " + table + " t")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Seeds once per database: a table left by an earlier run with the right row count is kept. */
    private static void seed(Statement st) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_class WHERE relname = 'hypo_orders' AND reltuples = 200000")) {
            rs.next();
            if (rs.getLong(1) == 1) {
                return;
            }
        }
        st.execute("""
                DROP TABLE IF EXISTS hypo_orders;
                CREATE TABLE hypo_orders (
                    id bigint PRIMARY KEY, customer_email text NOT NULL, status text NOT NULL,
                    total numeric(10, 2) NOT NULL);
                INSERT INTO hypo_orders
                SELECT i, 'c' || (1 + (i * 7919) % 40000) || '@example.com',
                       CASE WHEN i % 100 < 2 THEN 'cancelled' WHEN i % 100 < 10 THEN 'pending' ELSE 'shipped' END,
                       ((i * 37) % 100000) / 100.0
                FROM generate_series(1, 200000) i;
                """);
        // VACUUM cannot run in the implicit transaction of a multi-statement string
        st.execute("VACUUM ANALYZE hypo_orders");
    }
}
