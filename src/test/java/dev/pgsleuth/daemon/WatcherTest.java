package dev.pgsleuth.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgsleuth.config.AnalysisSettings;
import dev.pgsleuth.testing.RealPostgres;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The watcher in-process, following a real PostgreSQL's log directory while it rotates. */
class WatcherTest {
    static RealPostgres pg;

    @TempDir
    Path work;

    @BeforeAll
    static void start() {
        pg = RealPostgres.builder().logName("watch").start();
    }

    @AfterAll
    static void stop() {
        pg.close();
    }

    private Watcher watcher(Path state) throws IOException {
        return new Watcher(new Watcher.Settings(WatchTesting.dataDirectory(pg), AnalysisSettings.defaults(), state,
                1 << 20, Duration.ofDays(1), "test"), Clock.systemUTC(), line -> { });
    }

    /** Polls until the watcher has read everything the server wrote so far. */
    private static void catchUp(Watcher w, RealPostgres pg) throws IOException {
        pg.awaitLogged();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        do {
            w.poll();
            if (w.health().lagBytes() == 0 && w.health().file().equals(pg.jsonLog().toString())) {
                return;
            }
        } while (System.nanoTime() < deadline);
        throw new AssertionError("watcher did not catch up: " + w.health());
    }

    @Test
    void followsCurrentLogfilesAcrossPgRotateLogfileAndCountsLikeAnalyze() throws Exception {
        Path state = work.resolve("state");
        try (Watcher w = watcher(state)) {
            WatchTesting.workload(pg, "watch-a", 40);
            catchUp(w, pg);
            pg.rotate();
            WatchTesting.workload(pg, "watch-b", 30);
            catchUp(w, pg);
            w.checkpoint();
            assertEquals(WatchTesting.analyzeCounts(pg, work), WatchTesting.counts(w.totals()));

            // the HTTP endpoints, with a real client
            try (WatchServer server = new WatchServer(w, new InetSocketAddress("127.0.0.1", 0))) {
                HttpClient http = HttpClient.newHttpClient();
                String base = "http://127.0.0.1:" + server.address().getPort();
                HttpResponse<String> health = get(http, base + "/health");
                assertEquals(200, health.statusCode());
                JsonNode h = new ObjectMapper().readTree(health.body());
                assertTrue(h.get("ready").asBoolean());
                assertEquals(0, h.get("lagBytes").asLong());
                assertTrue(h.get("lastEntryTime").asText().startsWith("20"));

                HttpResponse<String> report = get(http, base + "/report");
                assertEquals(200, report.statusCode());
                JsonNode r = new ObjectMapper().readTree(report.body());
                assertEquals("pgsleuth-report/1", r.get("schema").asText());
                long selects = 0;
                for (JsonNode q : r.get("queries")) {
                    if (q.get("query").asText().startsWith("SELECT v FROM watch_t")) {
                        selects += q.get("count").asLong();
                    }
                }
                assertEquals(70, selects);

                HttpResponse<String> metrics = get(http, base + "/metrics");
                assertEquals(200, metrics.statusCode());
                assertTrue(metrics.body().contains("pgsleuth_entries_read_total "), metrics.body());
                assertTrue(metrics.body().contains("pgsleuth_log_rotations_total 1.0"), metrics.body());
                assertTrue(metrics.body().matches("(?s).*pgsleuth_shape_executions_total\\{fingerprint=\"[^\"]+\","
                        + "query=\"SELECT v FROM watch_t WHERE id = \\$1\"} 70\\.0.*"), metrics.body());

                HttpResponse<String> findings = get(http, base + "/findings?since=2000-01-01T00:00:00Z");
                assertEquals(200, findings.statusCode());
                assertTrue(new ObjectMapper().readTree(findings.body()).get("findings").isArray());
                assertEquals(400, get(http, base + "/findings?since=yesterday").statusCode());
            }
        }
        // a restart continues the totals and reads on from the saved offset
        WatchTesting.workload(pg, "watch-c", 5);
        try (Watcher again = watcher(state)) {
            catchUp(again, pg);
            again.checkpoint();
            assertEquals(WatchTesting.analyzeCounts(pg, work), WatchTesting.counts(again.totals()));
        }
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
