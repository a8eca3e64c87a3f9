package dev.pgsleuth.testing;

import org.postgresql.PGConnection;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A small, deterministic shop workload run by plain JDBC (pgjdbc) against a {@link RealPostgres},
 * so that its log holds every kind of entry a log analyzer meets, with known counts.
 *
 * <p>What it does, in this order, each session on its own connection (application_name in
 * brackets):
 * <ol>
 *   <li>[{@value #APP_SETUP}] simple protocol: creates customers (500 rows), products (200),
 *       orders (3000), order_items (9000) with {@code INSERT … SELECT generate_series},
 *       ANALYZE, CHECKPOINT. {@code orders.customer_id} has no index on purpose: the N+1
 *       lookups scan it, a case for index advice.</li>
 *   <li>[{@value #APP_REPORT}] simple protocol, literals inlined: one shape with three
 *       literals; a multi-line statement (newlines and tabs); a division by zero and a unique
 *       violation (ERROR entries).</li>
 *   <li>[{@value #APP_API}] extended protocol: one prepared statement executed 8 times
 *       (pgjdbc's prepareThreshold=5 sends it unnamed 4 times, then as named statement
 *       {@code S_n}); an INSERT whose bind value holds a comma, quotes and a newline; a
 *       multi-line statement with a bind range.</li>
 *   <li>[{@value #APP_ANALYTICS}] auto_explain switched on in the session for two queries,
 *       one plan in text and one in JSON format.</li>
 *   <li>[{@value #APP_EXPORT}] a sort under {@code work_mem = 64kB}, which writes a temp
 *       file.</li>
 *   <li>[{@value #APP_WORKER_A}] and [{@value #APP_WORKER_B}]: B waits for a row lock that A
 *       holds until B's "still waiting" line is in the log (deadlock_timeout 100ms in B).</li>
 *   <li>[{@value #APP_WEB}] an N+1 loop: one parent query for {@value #N_PLUS_ONE_ROWS}
 *       customers, then one orders lookup per customer, reusing one PreparedStatement as an
 *       ORM does.</li>
 *   <li>[{@value #APP_HEALTH}] three short connections, one {@code SELECT 1 AS alive} each.</li>
 * </ol>
 *
 * <p>{@link #expectedStatements()} lists every statement the workload sends and how often,
 * and {@link #expectedConnections()} the connections; a test compares them with the log.
 * Statements of the fixture itself ({@link RealPostgres#FIXTURE_APP}) are not in the list.
 */
public final class SampleWorkload {

    /** Application names of the workload's sessions. */
    public static final String APP_SETUP = "shop-setup";
    public static final String APP_REPORT = "shop-report";
    public static final String APP_API = "shop-api";
    public static final String APP_ANALYTICS = "shop-analytics";
    public static final String APP_EXPORT = "shop-export";
    public static final String APP_WORKER_A = "shop-worker-a";
    public static final String APP_WORKER_B = "shop-worker-b";
    public static final String APP_WEB = "shop-web";
    public static final String APP_HEALTH = "shop-health";

    /** Rows of the N+1 parent query, so also executions of the per-row child query. */
    public static final int N_PLUS_ONE_ROWS = 20;

    /** The bind value with a comma, quotes and a newline (product name in shop-api). */
    public static final String AWKWARD_BIND_VALUE = "Mug, \"large\" 'blue'\nsecond line";

    private static final int HEALTH_CHECKS = 3;
    private static final int ORDER_LOOKUPS = 8;

    /** How one execution of a statement shows in the stderr log. */
    public enum Logged {
        /** Simple query protocol: one {@code LOG:  duration: … ms  statement: <sql>} line. */
        STATEMENT,
        /** Extended protocol: one {@code LOG:  duration: … ms  execute <name>: <sql>} line. */
        EXECUTE,
        /** Failed: one {@code ERROR:} line followed by one {@code STATEMENT:  <sql>} line. */
        ERROR
    }

    /**
     * One statement text (or shape, when only literals differ) the workload sends.
     *
     * @param name       stable id, e.g. {@code order-by-id}
     * @param sql        the SQL as logged (bind placeholders as {@code $n}; for a shape run with
     *                   several literals, the first of them)
     * @param grepText   text on the statement's first logged line that no other statement of the
     *                   workload has there: count the stderr lines that contain it and the
     *                   {@link Logged} marker to get {@code executions}
     * @param logged     how an execution shows in the log
     * @param executions how many times the workload sends it
     * @param app        application_name of the session that sends it (of the first, if several;
     *                   pgjdbc's {@code SET application_name} is sent by every connection)
     */
    public record ExpectedStatement(String name, String sql, String grepText, Logged logged, int executions,
                                    String app) {
    }

    private final String database;
    private final List<ExpectedStatement> expected = new ArrayList<>();
    private final Map<String, ExpectedStatement> byName = new LinkedHashMap<>();

    /** The workload in database {@code shop}. */
    public SampleWorkload() {
        this("shop");
    }

    /** The workload in a database of this name, which {@link #run} creates. */
    public SampleWorkload(String database) {
        this.database = database;
        declare();
    }

    /** The database the workload runs in. */
    public String database() {
        return database;
    }

    /** Every statement the workload sends, in the order first sent, with its execution count. */
    public List<ExpectedStatement> expectedStatements() {
        return List.copyOf(expected);
    }

    /** The expected statement with this name. */
    public ExpectedStatement expected(String name) {
        ExpectedStatement e = byName.get(name);
        if (e == null) {
            throw new IllegalArgumentException("no statement named " + name);
        }
        return e;
    }

    /**
     * The {@code grep -c} of an expected statement in stderr-format (or jsonlog) lines: lines
     * that hold both its {@link Logged} kind and its grep text. For {@link Logged#ERROR} only
     * the stderr format works (csv and json put the statement in a field of its own).
     */
    public static long grepCount(List<String> lines, ExpectedStatement e) {
        String kind = switch (e.logged()) {
            case STATEMENT -> "  statement: ";
            case EXECUTE -> "  execute ";
            case ERROR -> "STATEMENT:  ";
        };
        return lines.stream().filter(l -> l.contains(kind) && l.contains(e.grepText())).count();
    }

    /** Connections the workload opens (each logs one "connection authorized" and one "disconnection"). */
    public int expectedConnections() {
        return 8 + HEALTH_CHECKS;
    }

    /** Creates the database and runs the whole workload; call once per database. */
    public void run(RealPostgres pg) throws SQLException {
        pg.createDatabase(database);
        setup(pg);
        report(pg);
        api(pg);
        analytics(pg);
        export(pg);
        lockWait(pg);
        nPlusOne(pg);
        health(pg);
    }

    private void declare() {
        add("set-application-name", "SET application_name = '" + APP_SETUP + "'", "SET application_name = 'shop-",
                Logged.STATEMENT, expectedConnections(), APP_SETUP);
        simple("create-customers", "CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL,"
                + " email text NOT NULL UNIQUE, country text NOT NULL, created_at timestamptz NOT NULL)",
                "CREATE TABLE customers", APP_SETUP);
        simple("create-products", "CREATE TABLE products (id int PRIMARY KEY, name text NOT NULL,"
                + " price numeric(10,2) NOT NULL, stock int NOT NULL)", "CREATE TABLE products", APP_SETUP);
        simple("create-orders", "CREATE TABLE orders (id int PRIMARY KEY, customer_id int NOT NULL"
                + " REFERENCES customers, status text NOT NULL, total numeric(12,2) NOT NULL,"
                + " created_at timestamptz NOT NULL)", "CREATE TABLE orders", APP_SETUP);
        simple("create-order-items", "CREATE TABLE order_items (id int PRIMARY KEY, order_id int NOT NULL"
                + " REFERENCES orders, product_id int NOT NULL REFERENCES products, quantity int NOT NULL,"
                + " unit_price numeric(10,2) NOT NULL)", "CREATE TABLE order_items", APP_SETUP);
        simple("fill-customers", "INSERT INTO customers SELECT g, 'Customer ' || g, 'customer' || g || '@example.com',"
                + " (ARRAY['NL','DE','FR','US','GB'])[1 + g % 5],"
                + " timestamptz '2024-01-01 00:00:00+00' + g * interval '1 hour' FROM generate_series(1, 500) g",
                "INSERT INTO customers SELECT", APP_SETUP);
        simple("fill-products", "INSERT INTO products SELECT g, 'Product ' || g, (g % 50) + 0.99, 100"
                + " FROM generate_series(1, 200) g", "INSERT INTO products SELECT", APP_SETUP);
        simple("fill-orders", "INSERT INTO orders SELECT g, 1 + (g * 7) % 500, (ARRAY['new','paid','shipped'])[1 + g % 3],"
                + " (g % 97) * 3.5, timestamptz '2024-02-01 00:00:00+00' + g * interval '10 minutes'"
                + " FROM generate_series(1, 3000) g", "INSERT INTO orders SELECT", APP_SETUP);
        simple("fill-order-items", "INSERT INTO order_items SELECT g, 1 + (g - 1) / 3, 1 + (g * 13) % 200, 1 + g % 4,"
                + " (g % 50) + 0.99 FROM generate_series(1, 9000) g", "INSERT INTO order_items SELECT", APP_SETUP);
        simple("analyze", "ANALYZE customers, products, orders, order_items", "ANALYZE customers", APP_SETUP);
        simple("checkpoint", "CHECKPOINT", "CHECKPOINT", APP_SETUP);

        add("customer-by-email", "SELECT id, name FROM customers WHERE email = 'customer17@example.com'",
                "FROM customers WHERE email = '", Logged.STATEMENT, 3, APP_REPORT);
        simple("revenue-by-country", """
                SELECT c.country,
                \tcount(*) AS orders,
                \tsum(o.total) AS revenue
                FROM orders o
                \tJOIN customers c ON c.id = o.customer_id
                WHERE o.status = 'paid'
                GROUP BY c.country
                ORDER BY revenue DESC""", "SELECT c.country,", APP_REPORT);
        add("division-by-zero", "SELECT total / 0 AS broken FROM orders WHERE id = 1",
                "SELECT total / 0 AS broken", Logged.ERROR, 1, APP_REPORT);
        add("duplicate-email", "INSERT INTO customers (id, name, email, country, created_at)"
                + " VALUES (501, 'Duplicate', 'customer1@example.com', 'NL', now())",
                "VALUES (501, 'Duplicate'", Logged.ERROR, 1, APP_REPORT);

        add("order-by-id", "SELECT id, status, total FROM orders WHERE id = $1",
                "FROM orders WHERE id = $1", Logged.EXECUTE, ORDER_LOOKUPS, APP_API);
        add("insert-product", "INSERT INTO products (id, name, price, stock) VALUES ($1, $2, $3, $4)",
                "INSERT INTO products (id, name, price, stock)", Logged.EXECUTE, 1, APP_API);
        add("sold-per-product", """
                SELECT p.name, sum(i.quantity) AS sold
                FROM order_items i
                \tJOIN products p ON p.id = i.product_id
                WHERE i.order_id BETWEEN $1 AND $2
                GROUP BY p.name
                ORDER BY sold DESC, p.name""", "SELECT p.name, sum(i.quantity) AS sold", Logged.EXECUTE, 2, APP_API);

        simple("auto-explain-on", "SET auto_explain.log_min_duration = 0", "SET auto_explain.log_min_duration = 0",
                APP_ANALYTICS);
        simple("auto-explain-analyze", "SET auto_explain.log_analyze = on", "SET auto_explain.log_analyze", APP_ANALYTICS);
        simple("top-products", "SELECT p.id, p.name, sum(i.quantity * i.unit_price) AS revenue FROM products p"
                + " JOIN order_items i ON i.product_id = p.id GROUP BY p.id, p.name ORDER BY revenue DESC LIMIT 10",
                "sum(i.quantity * i.unit_price) AS revenue", APP_ANALYTICS);
        simple("auto-explain-json", "SET auto_explain.log_format = json", "SET auto_explain.log_format", APP_ANALYTICS);
        simple("big-spenders", "SELECT o.customer_id, count(*) AS n, sum(o.total) AS spent FROM orders o"
                + " WHERE o.total > 100 GROUP BY o.customer_id HAVING count(*) > 3 ORDER BY spent DESC",
                "HAVING count(*) > 3", APP_ANALYTICS);
        simple("auto-explain-off", "RESET auto_explain.log_min_duration", "RESET auto_explain.log_min_duration",
                APP_ANALYTICS);

        simple("small-work-mem", "SET work_mem = '64kB'", "SET work_mem", APP_EXPORT);
        simple("export-items", "SELECT i.id, i.order_id, i.product_id, i.quantity, i.unit_price FROM order_items i"
                + " ORDER BY i.unit_price DESC, i.id", "FROM order_items i ORDER BY i.unit_price DESC", APP_EXPORT);

        simple("short-deadlock-timeout", "SET deadlock_timeout = '100ms'", "SET deadlock_timeout", APP_WORKER_B);
        simple("begin", "BEGIN", "BEGIN", APP_WORKER_A);
        add("take-stock", "UPDATE products SET stock = stock - 1 WHERE id = 7",
                "UPDATE products SET stock = stock - 1 WHERE id = 7", Logged.STATEMENT, 2, APP_WORKER_A);
        simple("commit", "COMMIT", "COMMIT", APP_WORKER_A);

        add("n-plus-one-parent", "SELECT id, name FROM customers WHERE country = $1 ORDER BY id LIMIT " + N_PLUS_ONE_ROWS,
                "FROM customers WHERE country = $1", Logged.EXECUTE, 1, APP_WEB);
        add("n-plus-one-child", "SELECT id, status, total FROM orders WHERE customer_id = $1 ORDER BY id",
                "FROM orders WHERE customer_id = $1", Logged.EXECUTE, N_PLUS_ONE_ROWS, APP_WEB);

        add("health-check", "SELECT 1 AS alive", "SELECT 1 AS alive", Logged.EXECUTE, HEALTH_CHECKS, APP_HEALTH);
    }

    private void simple(String name, String sql, String grepText, String app) {
        add(name, sql, grepText, Logged.STATEMENT, 1, app);
    }

    private void add(String name, String sql, String grepText, Logged logged, int executions, String app) {
        ExpectedStatement e = new ExpectedStatement(name, sql, grepText, logged, executions, app);
        expected.add(e);
        byName.put(name, e);
    }

    private String sql(String name) {
        return expected(name).sql();
    }

    /** The extended-protocol SQL with {@code ?} for pgjdbc instead of the logged {@code $n}. */
    private String jdbcSql(String name) {
        return sql(name).replaceAll("\\$\\d+", "?");
    }

    private Connection simpleProtocol(RealPostgres pg, String app) throws SQLException {
        Properties p = new Properties();
        p.setProperty("preferQueryMode", "simple");
        return pg.connect(database, app, p);
    }

    private Connection extendedProtocol(RealPostgres pg, String app) throws SQLException {
        return pg.connect(database, app, new Properties());
    }

    private void setup(RealPostgres pg) throws SQLException {
        try (Connection c = simpleProtocol(pg, APP_SETUP); Statement s = c.createStatement()) {
            for (String name : List.of("create-customers", "create-products", "create-orders", "create-order-items",
                    "fill-customers", "fill-products", "fill-orders", "fill-order-items", "analyze", "checkpoint")) {
                s.execute(sql(name));
            }
        }
    }

    private void report(RealPostgres pg) throws SQLException {
        try (Connection c = simpleProtocol(pg, APP_REPORT); Statement s = c.createStatement()) {
            for (int id : new int[] {17, 42, 99}) {
                drain(s.executeQuery(sql("customer-by-email").replace("customer17@", "customer" + id + "@")));
            }
            drain(s.executeQuery(sql("revenue-by-country")));
            expectFailure(s, sql("division-by-zero"));
            expectFailure(s, sql("duplicate-email"));
        }
    }

    private void api(RealPostgres pg) throws SQLException {
        try (Connection c = extendedProtocol(pg, APP_API)) {
            try (PreparedStatement ps = c.prepareStatement(jdbcSql("order-by-id"))) {
                for (int id = 1; id <= ORDER_LOOKUPS; id++) {
                    ps.setInt(1, id);
                    drain(ps.executeQuery());
                }
            }
            try (PreparedStatement ps = c.prepareStatement(jdbcSql("insert-product"))) {
                ps.setInt(1, 1001);
                ps.setString(2, AWKWARD_BIND_VALUE);
                ps.setBigDecimal(3, new BigDecimal("12.50"));
                ps.setInt(4, 40);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(jdbcSql("sold-per-product"))) {
                for (int from : new int[] {1, 500}) {
                    ps.setInt(1, from);
                    ps.setInt(2, from + 99);
                    drain(ps.executeQuery());
                }
            }
        }
    }

    private void analytics(RealPostgres pg) throws SQLException {
        try (Connection c = simpleProtocol(pg, APP_ANALYTICS); Statement s = c.createStatement()) {
            s.execute(sql("auto-explain-on"));
            s.execute(sql("auto-explain-analyze"));
            drain(s.executeQuery(sql("top-products")));
            s.execute(sql("auto-explain-json"));
            drain(s.executeQuery(sql("big-spenders")));
            s.execute(sql("auto-explain-off"));
        }
    }

    private void export(RealPostgres pg) throws SQLException {
        try (Connection c = simpleProtocol(pg, APP_EXPORT); Statement s = c.createStatement()) {
            s.execute(sql("small-work-mem"));
            drain(s.executeQuery(sql("export-items")));
        }
    }

    /**
     * A holds the row lock until B's wait is in the log, so the "still waiting" line is
     * certain without guessing a sleep.
     */
    private void lockWait(RealPostgres pg) throws SQLException {
        ExecutorService other = Executors.newSingleThreadExecutor();
        try (Connection a = simpleProtocol(pg, APP_WORKER_A); Statement sa = a.createStatement();
             Connection b = simpleProtocol(pg, APP_WORKER_B); Statement sb = b.createStatement()) {
            sb.execute(sql("short-deadlock-timeout"));
            int pidB = b.unwrap(PGConnection.class).getBackendPID();
            sa.execute(sql("begin"));
            sa.execute(sql("take-stock"));
            Future<Integer> waiting = other.submit(() -> sb.executeUpdate(sql("take-stock")));
            awaitInLog(pg, "process " + pidB + " still waiting for ShareLock");
            sa.execute(sql("commit"));
            if (waiting.get() != 1) {
                throw new IllegalStateException("the waiting UPDATE did not update one row");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during the lock wait", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the waiting UPDATE failed", e.getCause());
        } finally {
            other.shutdownNow();
        }
    }

    private void nPlusOne(RealPostgres pg) throws SQLException {
        try (Connection c = extendedProtocol(pg, APP_WEB);
             PreparedStatement parent = c.prepareStatement(jdbcSql("n-plus-one-parent"));
             PreparedStatement child = c.prepareStatement(jdbcSql("n-plus-one-child"))) {
            parent.setString(1, "NL");
            List<Integer> customers = new ArrayList<>();
            try (ResultSet rs = parent.executeQuery()) {
                while (rs.next()) {
                    customers.add(rs.getInt(1));
                }
            }
            if (customers.size() != N_PLUS_ONE_ROWS) {
                throw new IllegalStateException("parent query returned " + customers.size() + " rows");
            }
            for (int id : customers) {
                child.setInt(1, id);
                drain(child.executeQuery());
            }
        }
    }

    private void health(RealPostgres pg) throws SQLException {
        for (int i = 0; i < HEALTH_CHECKS; i++) {
            try (Connection c = extendedProtocol(pg, APP_HEALTH); Statement s = c.createStatement()) {
                drain(s.executeQuery(sql("health-check")));
            }
        }
    }

    private static void expectFailure(Statement s, String sql) {
        try {
            s.execute(sql);
        } catch (SQLException expected) {
            return;
        }
        throw new IllegalStateException("expected an error from: " + sql);
    }

    private static void drain(ResultSet rs) throws SQLException {
        try (rs) {
            while (rs.next()) {
                rs.getObject(1);
            }
        }
    }

    private static void awaitInLog(RealPostgres pg, String text) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            try {
                if (new String(Files.readAllBytes(pg.stderrLog()), StandardCharsets.UTF_8).contains(text)) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("not logged within 30 s: " + text);
                }
                Thread.sleep(10);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
