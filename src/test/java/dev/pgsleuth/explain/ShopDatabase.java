package dev.pgsleuth.explain;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * One real PostgreSQL 17 per test JVM, seeded with a shop schema large enough (300,000 orders,
 * 300,000 order items, 50,000 customers) that the planner makes the choices it makes in production.
 * Parallel query is off so that plans do not depend on how busy the shared CPUs are.
 */
public final class ShopDatabase {

    private static EmbeddedPostgres server;

    private ShopDatabase() {
    }

    /** The server, started and seeded on first use. */
    public static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder()
                        .setServerConfig("max_parallel_workers_per_gather", "0")
                        .setServerConfig("jit", "off")
                        .start();
                try (Connection c = server.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
                    st.execute(SCHEMA);
                    st.execute("VACUUM ANALYZE");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (SQLException e) {
                throw new IllegalStateException("seeding the shop database failed", e);
            }
        }
        return server;
    }

    /** Settings that reach the test server. */
    public static ConnectionSettings settings() {
        return ConnectionSettings.parse("postgres://postgres@localhost:" + server().getPort() + "/postgres",
                Map.of(), null, "postgres");
    }

    /** An explainer without rate limits that matter to a test. */
    public static Explainer explainer() {
        return explainer(ExplainOptions.defaults());
    }

    public static Explainer explainer(ExplainOptions options) {
        return new Explainer(settings(), options.withRateLimits(Duration.ZERO, 1_000_000), Clock.systemUTC());
    }

    /** A direct connection for the test's own checks (not through the Explainer). */
    public static Connection connect() throws SQLException {
        return server().getPostgresDatabase().getConnection();
    }

    /** md5 over every row of a table, in primary-key order: equal before and after means byte-identical. */
    public static String checksum(String table) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT md5(string_agg(t::text, '|' ORDER BY t.id)) FROM " + table + " t")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static final String SCHEMA = """
            CREATE EXTENSION pg_trgm;
            CREATE TABLE customers (
                id bigint PRIMARY KEY, email text NOT NULL, name text NOT NULL, city text NOT NULL);
            CREATE TABLE orders (
                id bigint PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customers (id),
                customer_email text NOT NULL, status text NOT NULL, total numeric(10, 2) NOT NULL,
                created_at timestamp NOT NULL, city text NOT NULL, zip text NOT NULL);
            CREATE TABLE order_items (
                id bigint PRIMARY KEY, order_id bigint NOT NULL REFERENCES orders (id),
                product text NOT NULL, qty int NOT NULL);
            CREATE TABLE price_bands (id int PRIMARY KEY, low numeric NOT NULL, high numeric NOT NULL, label text NOT NULL);
            CREATE TABLE audit (id bigint PRIMARY KEY, note text NOT NULL);
            CREATE SEQUENCE audit_seq;

            INSERT INTO customers
            SELECT i, 'c' || i || '@example.com', 'Customer ' || md5(i::text), 'city' || (i % 200)
            FROM generate_series(1, 50000) i;
            INSERT INTO orders
            SELECT i, 1 + (i::bigint * 7919) % 50000, 'c' || (1 + (i::bigint * 7919) % 50000) || '@example.com',
                   CASE WHEN i % 100 < 2 THEN 'cancelled' WHEN i % 100 < 10 THEN 'pending' ELSE 'shipped' END,
                   ((i * 37) % 100000) / 100.0,
                   timestamp '2024-01-01' + i * interval '1 minute',
                   'city' || (i % 200), 'z' || (i % 200)
            FROM generate_series(1, 300000) i;
            INSERT INTO order_items
            SELECT i, 1 + (i * 13) % 300000, 'product ' || (i % 1000), 1 + i % 5
            FROM generate_series(1, 300000) i;
            INSERT INTO price_bands SELECT k, k * 20, (k + 1) * 20, 'band ' || k FROM generate_series(0, 49) k;
            INSERT INTO audit SELECT i, 'row ' || i FROM generate_series(1, 1000) i;

            CREATE INDEX customers_email_idx ON customers (email);
            CREATE INDEX customers_name_trgm_idx ON customers USING gin (name gin_trgm_ops);
            CREATE INDEX orders_created_at_idx ON orders (created_at);
            CREATE FUNCTION bump_audit() RETURNS int LANGUAGE sql VOLATILE AS
              'UPDATE audit SET note = note || ''!'' WHERE id = 1 RETURNING id';
            """;
}
