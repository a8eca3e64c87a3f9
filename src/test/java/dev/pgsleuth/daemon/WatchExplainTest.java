package dev.pgsleuth.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgsleuth.config.AnalysisSettings;
import dev.pgsleuth.explain.ConnectionSettings;
import dev.pgsleuth.explain.ExplainOptions;
import dev.pgsleuth.explain.Explainer;
import dev.pgsleuth.normalize.SqlNormalizer;
import dev.pgsleuth.pipeline.ExplainStage;
import dev.pgsleuth.rules.RuleEngine;
import dev.pgsleuth.rules.RuleOverrides;
import dev.pgsleuth.testing.RealPostgres;
import dev.pgsleuth.testing.SampleWorkload;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code watch --db}: EXPLAIN rounds on their own thread turn the sample workload's N+1 loop on an
 * unindexed foreign key into index advice in {@code /findings}; an unreachable database leaves the
 * log analysis serving while {@code /health} says why there are no plans.
 */
class WatchExplainTest {
    private static final Duration INTERVAL = Duration.ofMillis(500);
    private static RealPostgres pg;
    private static SampleWorkload workload;

    @TempDir
    Path work;

    @BeforeAll
    static void runWorkload() throws Exception {
        pg = RealPostgres.builder().logName("watch-db").start();
        workload = new SampleWorkload();
        workload.run(pg);
        try (Connection c = pg.connect(workload.database(), "test-setup", new Properties());
             Statement s = c.createStatement()) {
            s.execute("INSERT INTO orders SELECT g, 1 + g % 500, 'paid', g % 97, now() FROM generate_series(3001, 200000) g");
            s.execute("ANALYZE orders");
        }
        pg.awaitLogged();
    }

    @AfterAll
    static void stop() {
        if (pg != null) {
            pg.close();
        }
    }

    private interface Check {
        void run(HttpClient http, String base, Watcher watcher) throws Exception;
    }

    private void watch(String db, Check check) throws Exception {
        Watcher w = new Watcher(new Watcher.Settings(pg.stderrLog(), AnalysisSettings.defaults(), null, 1 << 20,
                Duration.ofSeconds(1), "test", Duration.ofMillis(100)), Clock.systemUTC(), line -> { });
        Thread loop = new Thread(() -> w.run(Duration.ofMillis(100)), "watch-loop");
        loop.start();
        ConnectionSettings database = ConnectionSettings.parse(db);
        Explainer explainer = new Explainer(database, ExplainOptions.defaults().withRateLimits(INTERVAL, 30),
                Clock.systemUTC());
        ExplainStage stage = new ExplainStage(explainer, RuleEngine.builtin(RuleOverrides.none()), new SqlNormalizer(),
                new ExplainStage.Selection(10, 0), database.toString());
        try (ExplainLoop explain = new ExplainLoop(w, explainer, stage, INTERVAL, database.toString());
             WatchServer server = new WatchServer(w, new InetSocketAddress("127.0.0.1", 0))) {
            explain.start();
            check.run(HttpClient.newHttpClient(), "http://127.0.0.1:" + server.address().getPort(), w);
        } finally {
            w.stop();
            loop.join(10_000);
            w.close();
        }
    }

    @Test
    void theLoopOnAnUnindexedForeignKeyGetsIndexAdviceInFindings() throws Exception {
        watch(pg.jdbcUrl(workload.database()), (http, base, w) -> {
            JsonNode advice = await(http, base + "/findings", body -> {
                for (JsonNode f : body.get("findings")) {
                    String sql = f.at("/finding/suggestion/sql").asText();
                    if (f.at("/finding/category").asText().equals("index")
                            && f.at("/finding/tables").toString().contains("orders")
                            && sql.contains("CREATE INDEX") && sql.contains("customer_id")) {
                        return true;
                    }
                }
                return false;
            });
            assertTrue(advice.get("findings").size() >= 2, "the N+1 finding is there too: " + advice);
            JsonNode health = await(http, base + "/health", b -> b.path("database").asText().equals("available"));
            assertTrue(health.get("ready").asBoolean(), health.toString());
            JsonNode report = get(http, base + "/report");
            assertTrue(report.at("/explain/explained").asInt() >= 1, report.get("explain").toString());
            assertTrue(report.get("findings").toString().contains("customer_id"), report.get("findings").toString());
            String metrics = text(http, base + "/metrics");
            assertTrue(counter(metrics, "pgsleuth_explain_runs_total") >= 1, metrics);
            assertEquals(0, counter(metrics, "pgsleuth_explain_unavailable_total"), metrics);
        });
    }

    @Test
    void anUnreachableDatabaseLeavesTheLogAnalysisServingAndHealthSaysWhy() throws Exception {
        watch("postgres://nobody:secret@127.0.0.1:1/shop", (http, base, w) -> {
            JsonNode health = await(http, base + "/health",
                    b -> b.path("database").asText().startsWith("unavailable: "));
            assertTrue(health.get("ready").asBoolean(), health.toString());
            assertFalse(health.toString().contains("secret"), health.toString());
            JsonNode report = get(http, base + "/report");
            assertTrue(report.get("queries").size() > 10, "the log analysis goes on");
            assertEquals(0, report.at("/explain/explained").asInt());
            String metrics = text(http, base + "/metrics");
            assertTrue(counter(metrics, "pgsleuth_explain_unavailable_total") >= 1, metrics);
            assertEquals(0, counter(metrics, "pgsleuth_explain_runs_total"), metrics);
        });
    }

    private static double counter(String metrics, String name) {
        return metrics.lines().filter(l -> l.startsWith(name + " ")).mapToDouble(l -> Double.parseDouble(
                l.substring(name.length() + 1).trim())).findFirst().orElseThrow(() -> new AssertionError(name
                + " missing:\n" + metrics));
    }

    private static JsonNode await(HttpClient http, String url, Predicate<JsonNode> until) throws Exception {
        Instant deadline = Instant.now().plusSeconds(60);
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            last = get(http, url);
            if (until.test(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        fail("not seen in 60 s at " + url + ": " + last);
        return null;
    }

    private static JsonNode get(HttpClient http, String url) throws Exception {
        return new ObjectMapper().readTree(text(http, url));
    }

    private static String text(HttpClient http, String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return r.body();
    }
}
