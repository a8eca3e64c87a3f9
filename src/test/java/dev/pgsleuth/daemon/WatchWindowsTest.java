package dev.pgsleuth.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgsleuth.config.AnalysisSettings;
import dev.pgsleuth.detect.nplusone.NPlusOneSettings;
import dev.pgsleuth.parse.LogFormat;
import dev.pgsleuth.report.Report;
import dev.pgsleuth.testing.RealPostgres;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /report?window=…}: statistics per time window by the log's clock, and memory that stays
 * bounded over a long run with ever new shapes.
 */
class WatchWindowsTest {
    private static final OffsetDateTime START = OffsetDateTime.of(2026, 3, 2, 0, 0, 0, 0, ZoneOffset.UTC);
    private static final int HOURS = 48;
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    @TempDir
    Path work;

    private Watcher watcher(Path log, int cap) throws IOException {
        return new Watcher(new Watcher.Settings(log, new AnalysisSettings(LogFormat.STDERR,
                RealPostgres.DEFAULT_LOG_LINE_PREFIX, false, cap, NPlusOneSettings.defaults()), null, 1 << 20,
                Duration.ofDays(1), "test"), Clock.systemUTC(), line -> { });
    }

    private static void line(Writer w, OffsetDateTime at, int pid, String sql) throws IOException {
        w.write(TS.format(at) + " UTC [" + pid + "] app@shop/web 65e2c0a0." + Integer.toHexString(pid)
                + ":1 LOG:  duration: 0.500 ms  statement: " + sql + "\n");
    }

    /** A table name per hour, without digits (which the normalizer may fold). */
    private static String table(int hour) {
        return "t_" + (char) ('a' + hour / 26) + (char) ('a' + hour % 26);
    }

    /** Executions per query text in a report. */
    private static Map<String, Long> counts(Report r) {
        Map<String, Long> out = new TreeMap<>();
        r.queries().forEach(q -> out.put(q.query(), q.count()));
        return out;
    }

    @Test
    void windowsCountTheLastSlicesAndHoursByTheLogsClock() throws Exception {
        Path log = work.resolve("postgresql.log");
        // 30 hours: every 5 minutes one common statement and one of a shape of that hour
        try (Writer w = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            for (int slice = 0; slice < 30 * 12; slice++) {
                OffsetDateTime at = START.plusMinutes(5L * slice).plusSeconds(10);
                line(w, at, 100, "SELECT 1 FROM common");
                line(w, at.plusSeconds(1), 100, "SELECT a FROM " + table(slice / 12) + " WHERE id = 1");
            }
        }
        try (Watcher watcher = watcher(log, 1000)) {
            watcher.poll();
            Map<String, Long> all = counts(watcher.report());
            assertEquals(360L, all.get("SELECT $1 FROM common"));
            assertEquals(31, all.size());

            Map<String, Long> hour = counts(watcher.report(Duration.ofHours(1)));
            assertEquals(Map.of("SELECT $1 FROM common", 12L, "SELECT a FROM " + table(29) + " WHERE id = $1", 12L), hour);

            Map<String, Long> quarter = counts(watcher.report(Duration.ofMinutes(15)));
            assertEquals(Map.of("SELECT $1 FROM common", 3L, "SELECT a FROM " + table(29) + " WHERE id = $1", 3L), quarter);

            Map<String, Long> day = counts(watcher.report(Duration.ofHours(24)));
            assertEquals(288L, day.get("SELECT $1 FROM common"));
            assertEquals(25, day.size());
            for (int h = 6; h < 30; h++) {
                assertEquals(12L, day.get("SELECT a FROM " + table(h) + " WHERE id = $1"), "hour " + h);
            }
            Report r = watcher.report(Duration.ofHours(24));
            assertEquals(START.plusHours(6).plusSeconds(10), r.input().firstTimestamp());

            try (WatchServer server = new WatchServer(watcher, new java.net.InetSocketAddress("127.0.0.1", 0))) {
                java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
                String base = "http://127.0.0.1:" + server.address().getPort() + "/report?window=";
                java.net.http.HttpResponse<String> ok = http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(base + "1h")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
                assertEquals(200, ok.statusCode());
                com.fasterxml.jackson.databind.JsonNode j = new com.fasterxml.jackson.databind.ObjectMapper().readTree(ok.body());
                assertEquals(2, j.get("queries").size());
                assertEquals(12, j.get("queries").get(0).get("count").asLong());
                for (String bad : new String[] {"25h", "0m", "1d", "h"}) {
                    assertEquals(400, http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + bad)).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode(), bad);
                }
            }
        }
    }

    @Test
    void memoryStaysBoundedOverTwoDaysOfNewShapes() throws Exception {
        Path log = work.resolve("postgresql.log");
        Files.createFile(log);
        int cap = 2000;
        int perSlice = 250; // over 250 shapes, 25 of them new: 300 new shapes an hour, 14,625 in two days
        long[] heapAfterHour = new long[HOURS];
        try (Watcher watcher = watcher(log, cap)) {
            for (int h = 0; h < HOURS; h++) {
                try (Writer w = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.APPEND)) {
                    for (int s = 0; s < 12; s++) {
                        OffsetDateTime at = START.plusHours(h).plusMinutes(5L * s);
                        for (int i = 0; i < perSlice; i++) {
                            int shape = (h * 12 + s) * 25 + i;
                            line(w, at.plusNanos(i * 1_000_000L), 100 + i % 50,
                                    "SELECT c" + shape + " FROM t WHERE id = " + i);
                        }
                    }
                }
                watcher.poll();
                heapAfterHour[h] = usedHeap();
            }
            Report all = watcher.report();
            assertEquals(cap, all.queries().size());
            assertEquals(HOURS * 12 * 25 + perSlice - 25 - cap, all.other().shapes());
            assertEquals(cap, watcher.report(Duration.ofHours(24)).queries().size());
            assertEquals(12 * 25 + perSlice - 25, watcher.report(Duration.ofHours(1)).queries().size());
            assertEquals(3 * 25 + perSlice - 25, watcher.report(Duration.ofMinutes(15)).queries().size());
        }
        long day1 = heapAfterHour[23];
        long day2 = heapAfterHour[47];
        System.out.printf("heap after 24 h: %d MB, after 48 h: %d MB (cap %d shapes)%n",
                day1 >> 20, day2 >> 20, cap);
        // past the first day every window and cap is full: the second day adds nothing lasting
        assertTrue(day2 < day1 + (16L << 20), "heap grew from " + (day1 >> 20) + " MB to " + (day2 >> 20) + " MB");
    }

    /**
     * The heap a shape costs the daemon (whole-run statistics, its slice and hour, the N+1
     * detector's and the normalizer's entries), with a duration histogram: the figure the README
     * gives for sizing {@code --max-shapes}.
     */
    @Test
    void heapPerShape() throws Exception {
        Path log = work.resolve("postgresql.log");
        Files.createFile(log);
        int shapes = 4000;
        try (Watcher watcher = watcher(log, shapes)) {
            watcher.poll();
            long before = usedHeap();
            try (Writer w = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.APPEND)) {
                for (int round = 0; round < 20; round++) {
                    for (int i = 0; i < shapes; i++) {
                        line(w, START.plusSeconds(round).plusNanos(i * 100_000L), 100 + i % 50,
                                "SELECT c" + i + ", d FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.id = "
                                        + (round * 7 + i) + " AND o.state = 'open'");
                    }
                }
            }
            watcher.poll();
            long per = (usedHeap() - before) / shapes;
            assertEquals(shapes, watcher.report().queries().size());
            System.out.printf("heap per shape: %d bytes%n", per);
            assertTrue(per < 16_384, per + " bytes per shape");
        }
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
