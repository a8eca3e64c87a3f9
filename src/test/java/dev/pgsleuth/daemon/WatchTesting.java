package dev.pgsleuth.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgsleuth.cli.Main;
import dev.pgsleuth.testing.RealPostgres;
import dev.pgsleuth.config.AnalysisSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** Workload, watcher set-up and the one-shot comparison shared by the watch tests. */
final class WatchTesting {
    private WatchTesting() {
    }

    static Watcher watcher(Path target, Path state) throws IOException {
        return new Watcher(new Watcher.Settings(target, AnalysisSettings.defaults(), state, 1 << 20,
                Duration.ofDays(1), "test"), Clock.systemUTC(), line -> { });
    }

    /** Polls until the watcher follows a file {@code which} accepts and has nothing more to read. */
    static void catchUp(Watcher w, Predicate<String> which) throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        do {
            w.poll();
            Watcher.Health h = w.health();
            if (h.lagBytes() == 0 && h.file() != null && which.test(h.file())) {
                return;
            }
        } while (System.nanoTime() < deadline);
        throw new AssertionError("watcher did not catch up: " + w.health());
    }

    static long sum(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The data directory of a fixture server, where its current_logfiles is. */
    static Path dataDirectory(RealPostgres pg) {
        return pg.logDirectory().getParent().resolve("data");
    }

    /** Runs {@code n} rounds of three statement shapes in one session. */
    static void workload(RealPostgres pg, String app, int n) throws SQLException {
        try (Connection c = pg.connect(app)) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS watch_t (id int primary key, v text)");
            }
            try (PreparedStatement ins = c.prepareStatement(
                    "INSERT INTO watch_t VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET v = excluded.v");
                 PreparedStatement sel = c.prepareStatement("SELECT v FROM watch_t WHERE id = ?");
                 Statement plain = c.createStatement()) {
                for (int i = 0; i < n; i++) {
                    ins.setInt(1, i % 50);
                    ins.setString(2, "v" + i);
                    ins.executeUpdate();
                    sel.setInt(1, i % 50);
                    sel.executeQuery().close();
                    plain.executeQuery("SELECT count(*) FROM watch_t WHERE v <> 'x" + i + "'").close();
                }
            }
        }
    }

    /** Executions per shape fingerprint in a one-shot {@code analyze} of the server's jsonlog files. */
    static Map<String, Long> analyzeCounts(RealPostgres pg, Path work) throws IOException {
        List<String> args = new ArrayList<>(List.of("analyze", "--format", "json", "-o",
                work.resolve("oneshot.json").toString()));
        try (Stream<Path> files = Files.list(pg.logDirectory())) {
            files.filter(p -> p.toString().endsWith(".json")).sorted().forEach(p -> args.add(p.toString()));
        }
        int code = Main.run(args.toArray(String[]::new));
        if (code != 0) {
            throw new IllegalStateException("analyze exited with " + code);
        }
        JsonNode report = new ObjectMapper().readTree(work.resolve("oneshot.json").toFile());
        Map<String, Long> counts = new TreeMap<>();
        for (JsonNode q : report.get("queries")) {
            counts.put(q.get("fingerprint").asText(), q.get("count").asLong());
        }
        return counts;
    }

    /** Executions per shape fingerprint in a one-shot {@code analyze} of {@code files}, in that order. */
    static Map<String, Long> analyzeCounts(Path work, List<Path> files) throws IOException {
        List<String> args = new ArrayList<>(List.of("analyze", "--format", "json", "-o",
                work.resolve("oneshot.json").toString()));
        files.forEach(p -> args.add(p.toString()));
        int code = Main.run(args.toArray(String[]::new));
        if (code != 0) {
            throw new IllegalStateException("analyze exited with " + code);
        }
        Map<String, Long> counts = new TreeMap<>();
        for (JsonNode q : new ObjectMapper().readTree(work.resolve("oneshot.json").toFile()).get("queries")) {
            counts.put(q.get("fingerprint").asText(), q.get("count").asLong());
        }
        return counts;
    }

    static Map<String, Long> counts(Map<String, WatchState.ShapeTotal> totals) {
        Map<String, Long> out = new TreeMap<>();
        totals.forEach((fp, t) -> out.put(fp, t.count()));
        return out;
    }
}
