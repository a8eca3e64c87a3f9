package dev.pgsleuth.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgsleuth.testing.RealPostgres;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pgsleuth watch} as a real child JVM, killed with SIGKILL at random moments while a real
 * PostgreSQL writes and rotates its log, restarted each time: its final per-shape totals equal a
 * one-shot analyze of the same files.
 */
class WatchKillTest {
    private static final Pattern SERVING = Pattern.compile("serving http://127\\.0\\.0\\.1:(\\d+)");

    static RealPostgres pg;

    @TempDir
    Path work;

    @BeforeAll
    static void start() {
        pg = RealPostgres.builder().logName("kill").start();
    }

    @AfterAll
    static void stop() {
        pg.close();
    }

    private int launches;

    private static String read(Path p) {
        try {
            return java.nio.file.Files.readString(p);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    private record Daemon(Process process, int port) {
    }

    private Daemon launch(Path state) throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
                "dev.pgsleuth.cli.Main", "watch", "--listen", "127.0.0.1:0", "--state", state.toString(),
                "--events", work.resolve("events.jsonl").toString(),
                "--poll-interval", "50ms", "--checkpoint-interval", "200ms",
                WatchTesting.dataDirectory(pg).toString());
        pb.redirectOutput(work.resolve("daemon.out").toFile());
        Path err = work.resolve("daemon-" + (launches++) + ".err");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        int bound = -1;
        while (bound < 0) {
            Matcher m = SERVING.matcher(java.nio.file.Files.readString(err));
            if (m.find()) {
                bound = Integer.parseInt(m.group(1));
            } else {
                assertTrue(p.isAlive(), () -> "daemon exited: " + read(err));
                assertTrue(System.nanoTime() < deadline, "daemon did not start");
                Thread.sleep(10);
            }
        }
        return new Daemon(p, bound);
    }

    @Test
    void sigkillAtRandomMomentsLosesNothingAndCountsNothingTwice() throws Exception {
        Path state = work.resolve("state");
        Random random = new Random(Long.getLong("pgsleuth.seed", System.nanoTime()));
        HttpClient http = HttpClient.newHttpClient();
        for (int round = 0; round < 3; round++) {
            Daemon d = launch(state);
            int r = round;
            CompletableFuture<Void> load = CompletableFuture.runAsync(() -> {
                try {
                    WatchTesting.workload(pg, "kill-" + r, 150);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(100 + random.nextInt(900)); // the random moment of the kill
            d.process().destroyForcibly();
            assertTrue(d.process().waitFor(20, TimeUnit.SECONDS));
            load.get(60, TimeUnit.SECONDS);
            Path saved = state.resolve(WatchState.FILE);
            System.err.println("after kill " + round + ": " + (java.nio.file.Files.exists(saved)
                    ? java.nio.file.Files.readString(saved) : "no state"));
            if (round % 2 == 0) {
                pg.rotate(); // rotated while the daemon is down
            }
        }
        WatchTesting.workload(pg, "kill-last", 20);
        Daemon last = launch(state);
        pg.awaitLogged();
        String current = pg.jsonLog().toString();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            HttpResponse<String> h = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + last.port() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode health = new ObjectMapper().readTree(h.body());
            if (h.statusCode() == 200 && health.get("lagBytes").asLong() == 0 && current.equals(health.get("file").asText())) {
                break;
            }
            assertTrue(System.nanoTime() < deadline, "daemon did not catch up: " + h.body());
            Thread.sleep(20);
        }
        last.process().destroy(); // SIGTERM: the shutdown hook saves the state
        assertTrue(last.process().waitFor(20, TimeUnit.SECONDS));

        for (int i = 0; i < launches; i++) {
            System.err.println("daemon " + i + ": " + read(work.resolve("daemon-" + i + ".err")));
        }
        Map<String, Long> oneShot = WatchTesting.analyzeCounts(pg, work);
        Map<String, Long> daemon = WatchTesting.counts(WatchState.load(state).shapes());
        assertEquals(oneShot, daemon);
        long statements = daemon.values().stream().mapToLong(Long::longValue).sum();
        assertTrue(statements >= 3 * 150 * 3 + 20 * 3, "all statements counted: " + daemon);
    }
}
