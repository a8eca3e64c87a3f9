package dev.pgsleuth.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgsleuth.config.AnalysisSettings;
import dev.pgsleuth.testing.RealPostgres;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5's latency promise, against a real PostgreSQL: an N+1 loop shows in {@code /findings}
 * within 2 s of the server logging its last statement, while a loop still running (pausing
 * between its steps, across several checkpoints) is neither reported early nor cut in two.
 */
class WatchLatencyTest {
    private static final Duration BUDGET = Duration.ofSeconds(2);
    static RealPostgres pg;

    @TempDir
    Path work;

    @BeforeAll
    static void start() throws Exception {
        pg = RealPostgres.builder().logName("latency").start();
        try (Connection c = pg.connect("setup"); Statement s = c.createStatement()) {
            for (String t : List.of("lat_a", "lat_b")) {
                s.execute("CREATE TABLE " + t + "_parent (id int primary key)");
                s.execute("CREATE TABLE " + t + "_child (id serial primary key, parent_id int, v text)");
                s.execute("INSERT INTO " + t + "_parent SELECT g FROM generate_series(1, 20) g");
                s.execute("INSERT INTO " + t + "_child (parent_id, v) SELECT g % 20 + 1, 'x' FROM generate_series(1, 100) g");
            }
        }
    }

    @AfterAll
    static void stop() {
        pg.close();
    }

    @Test
    void aFinishedLoopShowsWithinTwoSecondsAndARunningOneIsNotCut() throws Exception {
        pg.awaitLogged();
        // checkpoints every second: they must not cut the slow loop either
        Watcher w = new Watcher(new Watcher.Settings(WatchTesting.dataDirectory(pg), AnalysisSettings.defaults(),
                work.resolve("state"), 1 << 20, Duration.ofSeconds(1), "test", Duration.ofMillis(100)),
                Clock.systemUTC(), line -> { });
        Thread loop = new Thread(() -> w.run(Duration.ofMillis(100)), "watch-loop");
        loop.start();
        try (WatchServer server = new WatchServer(w, new InetSocketAddress("127.0.0.1", 0));
             Connection c = pg.connect("latency-app")) {
            String base = "http://127.0.0.1:" + server.address().getPort();
            HttpClient http = HttpClient.newHttpClient();

            // a fast loop; the connection stays open and idle, as a pooled one does
            Instant last = runLoop(c, "lat_a", 12, Duration.ZERO);
            JsonNode fast = awaitFinding(http, base, "lat_a_child", last.plus(BUDGET));
            assertEquals(12, fast.at("/finding/evidence/repetitions").asLong(), fast.toString());

            // a slow loop: 300 ms between steps (more than max-gap, less than lookback), 3 s in all
            Instant began = Instant.now();
            Thread slow = new Thread(() -> {
                try {
                    runLoop(c, "lat_b", 12, Duration.ofMillis(300));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            slow.start();
            while (slow.isAlive()) {
                assertTrue(findings(http, base, "lat_b_child").isEmpty(), "reported while still running");
                slow.join(150);
            }
            Instant end = Instant.now();
            assertTrue(Duration.between(began, end).toMillis() > 2900, "the slow loop ran too fast to test anything");
            JsonNode slowFinding = awaitFinding(http, base, "lat_b_child", end.plus(BUDGET));
            // the loop as a one-shot analysis of the same log sees it (on a loaded machine a step may
            // come late enough to start a new burst, for both)
            JsonNode oneShot = analyzeFinding("lat_b_child");
            assertEquals(oneShot.at("/evidence/repetitions").asLong(),
                    slowFinding.at("/finding/evidence/repetitions").asLong(), slowFinding.toString());
            assertEquals(oneShot.at("/evidence/occurrences").asLong(),
                    slowFinding.at("/finding/evidence/occurrences").asLong(), slowFinding.toString());
            assertTrue(oneShot.at("/evidence/repetitions").asLong() >= 8, oneShot.toString());
        } finally {
            w.stop();
            loop.join(10_000);
            w.close();
        }
    }

    /** The N+1 finding on {@code table} of {@code analyze} run on the server's jsonlog files. */
    private JsonNode analyzeFinding(String table) throws Exception {
        pg.awaitLogged();
        List<String> args = new ArrayList<>(List.of("analyze", "--format", "json", "-o", work.resolve("a.json").toString()));
        try (var files = java.nio.file.Files.list(pg.logDirectory())) {
            files.filter(p -> p.toString().endsWith(".json")).sorted().forEach(p -> args.add(p.toString()));
        }
        assertEquals(0, dev.pgsleuth.cli.Main.run(args.toArray(String[]::new)));
        for (JsonNode f : new ObjectMapper().readTree(work.resolve("a.json").toFile()).get("findings")) {
            if (f.get("category").asText().equals("n-plus-one") && f.get("tables").toString().contains("\"" + table + "\"")) {
                return f;
            }
        }
        throw new AssertionError("analyze found no loop on " + table);
    }

    /** Reads the parents, then each parent's children one query at a time; returns when the last step began. */
    private static Instant runLoop(Connection c, String table, int n, Duration pause) throws Exception {
        try (Statement s = c.createStatement();
             PreparedStatement child = c.prepareStatement("SELECT v FROM " + table + "_child WHERE parent_id = ?")) {
            s.executeQuery("SELECT id FROM " + table + "_parent ORDER BY id LIMIT " + n).close();
            Instant last = null;
            for (int i = 1; i <= n; i++) {
                if (!pause.isZero() && i > 2) { // a loop is under way once two keys were read
                    LockSupport.parkNanos(pause.toNanos());
                }
                last = Instant.now();
                child.setInt(1, i);
                child.executeQuery().close();
            }
            return last;
        }
    }

    /** Polls /findings until a finding on {@code table} shows, failing at {@code deadline}. */
    private static JsonNode awaitFinding(HttpClient http, String base, String table, Instant deadline) throws Exception {
        while (true) {
            List<JsonNode> found = findings(http, base, table);
            if (!found.isEmpty()) {
                assertEquals(1, found.size(), found.toString());
                return found.get(0);
            }
            if (Instant.now().isAfter(deadline)) {
                fail("no finding on " + table + " in /findings " + BUDGET.toMillis() + " ms after its last statement");
            }
            Thread.sleep(20);
        }
    }

    private static List<JsonNode> findings(HttpClient http, String base, String table) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/findings")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode f : new ObjectMapper().readTree(r.body()).get("findings")) {
            if (f.at("/finding/category").asText().equals("n-plus-one")
                    && f.at("/finding/tables").toString().contains("\"" + table + "\"")) {
                out.add(f);
            }
        }
        return out;
    }
}
