package dev.pgsleuth.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgsleuth.model.LogEntry;
import dev.pgsleuth.model.NormalizedStatement;
import dev.pgsleuth.model.QueryShape;
import dev.pgsleuth.model.StatementKind;
import dev.pgsleuth.model.StatementPhase;
import dev.pgsleuth.normalize.Normalizer;
import dev.pgsleuth.normalize.SqlNormalizer;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class QueryAggregatorTest {
    private static final OffsetDateTime T0 = OffsetDateTime.of(2024, 3, 1, 12, 0, 0, 0, ZoneOffset.ofHours(2));

    /** The real normalizer, counting how often the aggregator asks it for a shape. */
    private static final class CountingNormalizer implements Normalizer {
        private final SqlNormalizer real = new SqlNormalizer();
        int shapeCalls;

        @Override
        public NormalizedStatement normalize(String sql) {
            return real.normalize(sql);
        }

        @Override
        public QueryShape shape(NormalizedStatement statement) {
            shapeCalls++;
            return real.shape(statement);
        }
    }

    private static LogEntry exec(String sql, double ms, int second) {
        return LogEntry.builder().timestamp(T0.plusSeconds(second)).pid(100 + second % 3)
                .database("shop").user("app").application("web").statement(sql)
                .phase(StatementPhase.SIMPLE).durationMs(ms).build();
    }

    private static ShapeSummary only(QueryAggregator a, String queryPrefix) {
        return a.shapes().stream().filter(s -> s.query().startsWith(queryPrefix)).findFirst().orElseThrow();
    }

    @Test
    void countsTotalsExtremesAndPercentilesWithinHistogramPrecision() {
        CountingNormalizer n = new CountingNormalizer();
        QueryAggregator a = new QueryAggregator(n, 100, false);
        for (int i = 1; i <= 1000; i++) {
            a.accept(exec("SELECT * FROM orders WHERE id = " + i, i, i));
        }
        ShapeSummary s = only(a, "SELECT * FROM orders");
        assertEquals(1000, s.count());
        assertEquals(1000, s.timedCount());
        assertEquals(500_500_000L, s.totalMicros());
        assertEquals(1_000, s.minMicros());
        assertEquals(1_000_000, s.maxMicros());
        assertEquals(500_500.0, s.meanMicros(), 1e-6);
        assertEquals(500_000, s.p50Micros(), 500_000 * 0.01);
        assertEquals(950_000, s.p95Micros(), 950_000 * 0.01);
        assertEquals(990_000, s.p99Micros(), 990_000 * 0.01);
        assertEquals(T0.plusSeconds(1), s.firstSeen());
        assertEquals(T0.plusSeconds(1000), s.lastSeen());
        assertEquals(Map.of("shop", 1000L), s.databases());
        assertEquals(Map.of("app", 1000L), s.users());
        assertEquals(Map.of("web", 1000L), s.applications());
        assertEquals(StatementKind.SELECT, s.kind());
        assertEquals(List.of("orders"), s.tables());
        assertEquals("SELECT * FROM orders WHERE id = 1000", s.example().statement());
        assertEquals(1_000_000, s.example().micros());
        assertEquals(1, n.shapeCalls, "shape() runs once per fingerprint");
        assertEquals(1000, a.statements());
    }

    @Test
    void fewExecutionsGiveExactNearestRankPercentiles() {
        QueryAggregator a = new QueryAggregator(new SqlNormalizer(), 100, false);
        a.accept(exec("SELECT 1", 3.0, 1));
        a.accept(exec("SELECT 2", 1.0, 2));
        a.accept(exec("SELECT 3", 2.5, 3));
        ShapeSummary s = only(a, "SELECT $1");
        assertEquals(2_500, s.p50Micros());
        assertEquals(3_000, s.p95Micros());
        assertEquals(1_000, s.minMicros());
    }

    @Test
    void parseAndBindAddTheirTimeButNotToTheCount() {
        QueryAggregator a = new QueryAggregator(new SqlNormalizer(), 100, false);
        String sql = "SELECT name FROM users WHERE id = $1";
        a.accept(LogEntry.builder().statement(sql).phase(StatementPhase.PARSE).durationMs(0.5).build());
        a.accept(LogEntry.builder().statement(sql).phase(StatementPhase.BIND).durationMs(0.25).build());
        a.accept(LogEntry.builder().statement(sql).phase(StatementPhase.EXECUTE).durationMs(2).build());
        ShapeSummary s = only(a, "SELECT name");
        assertEquals(1, s.count());
        assertEquals(2_000, s.totalMicros());
        assertEquals(500, s.parseMicros());
        assertEquals(250, s.bindMicros());
        assertEquals(1, a.statements());
        assertEquals(3, a.entries());
    }

    @Test
    void executionsWithoutDurationCountButHaveNoTiming() {
        QueryAggregator a = new QueryAggregator(new SqlNormalizer(), 100, false);
        a.accept(LogEntry.builder().timestamp(T0).statement("DELETE FROM carts WHERE id = 4")
                .phase(StatementPhase.SIMPLE).build());
        a.accept(LogEntry.builder().timestamp(T0.plusSeconds(5)).statement("DELETE FROM carts WHERE id = 5")
                .phase(StatementPhase.SIMPLE).build());
        ShapeSummary s = only(a, "DELETE");
        assertEquals(2, s.count());
        assertEquals(0, s.timedCount());
        assertEquals(-1, s.minMicros());
        assertEquals(-1, s.p99Micros());
        assertEquals(-1, s.meanMicros());
        assertEquals("DELETE FROM carts WHERE id = 4", s.example().statement(), "first one kept");
        assertEquals(-1, s.example().micros());
    }

    @Test
    void nonStatementEntriesOnlyCountAsEntries() {
        QueryAggregator a = new QueryAggregator(new SqlNormalizer(), 100, false);
        a.accept(LogEntry.builder().timestamp(T0).message("checkpoint starting: time").build());
        a.accept(LogEntry.builder().timestamp(T0.minusHours(1)).message("connection received: host=x port=1")
                .statement("SELECT 1").build());
        assertEquals(2, a.entries());
        assertEquals(0, a.statements());
        assertTrue(a.shapes().isEmpty());
        assertEquals(T0.minusHours(1), a.firstTimestamp());
        assertEquals(T0, a.lastTimestamp());
    }

    @Test
    void capFoldsTheLeastRecentlySeenShapesIntoOther() {
        QueryAggregator a = new QueryAggregator(new SqlNormalizer(), 3, false);
        a.accept(exec("SELECT * FROM a", 1, 1));
        a.accept(exec("SELECT * FROM b", 2, 2));
        a.accept(exec("SELECT * FROM c", 3, 3));
        a.accept(exec("SELECT * FROM a", 1, 4));
        a.accept(exec("SELECT * FROM d", 4, 5));
        a.accept(exec("SELECT * FROM e", 5, 6));
        List<String> kept = a.shapes().stream().map(ShapeSummary::query).sorted().toList();
        assertEquals(List.of("SELECT * FROM a", "SELECT * FROM d", "SELECT * FROM e"), kept);
        assertTrue(a.capped());
        assertEquals(new OtherShapes(2, 2, 5_000), a.otherShapes());
        assertEquals(6, a.statements());
    }

    @Test
    void theShapesFoldedAreThoseAnAccessOrderedMapWouldDrop() {
        // the aggregator keeps no order of use until it first fills: what it folds then and after
        // must be what a map kept in access order all along drops
        int cap = 8;
        Random r = new Random(7);
        QueryAggregator a = new QueryAggregator(new SqlNormalizer(), cap, false);
        java.util.LinkedHashMap<String, Long> model = new java.util.LinkedHashMap<>(16, 0.75f, true);
        long[] folded = new long[2];
        for (int i = 0; i < 400; i++) {
            // a few hot shapes and a long tail, so that hot ones are looked up again between folds
            int n = r.nextInt(4) == 0 ? r.nextInt(40) : r.nextInt(6);
            String sql = "SELECT c" + n + " FROM t";
            a.accept(exec(sql, 1, i));
            model.merge(sql, 1L, Long::sum);
            if (model.size() > cap) {
                Map.Entry<String, Long> eldest = model.entrySet().iterator().next();
                folded[0]++;
                folded[1] += eldest.getValue();
                model.remove(eldest.getKey());
            }
        }
        assertTrue(folded[0] > 20, "the stream folds often");
        assertEquals(model.keySet().stream().sorted().toList(), a.shapes().stream().map(ShapeSummary::query).sorted().toList());
        assertEquals(folded[0], a.otherShapes().shapes());
        assertEquals(folded[1], a.otherShapes().count());
    }

    @Test
    void twiceTheCapInDistinctShapesKeepsTheCap() {
        assertEquals(QueryAggregator.DEFAULT_SHAPE_CAP, new QueryAggregator(new SqlNormalizer()).shapeCap());
        // JSQLParser runs once per new shape (about a millisecond each), so a small cap keeps this fast
        int cap = 1_000;
        QueryAggregator a = new QueryAggregator(new SqlNormalizer(), cap, false);
        for (int i = 0; i < 2 * cap; i++) {
            // distinct column names: digit runs in table names do not count in the fingerprint
            a.accept(exec("SELECT c" + i + " FROM t", 1.5, i % 60));
        }
        assertEquals(cap, a.shapes().size());
        assertEquals(cap, a.otherShapes().shapes());
        assertEquals(cap, a.otherShapes().count());
        assertNotNull(a.shapes().stream().filter(s -> s.query().equals("SELECT c1999 FROM t")).findAny().orElse(null));
        assertTrue(a.shapes().stream().noneMatch(s -> s.query().equals("SELECT c999 FROM t")), "least recent folded");
    }

    @Test
    void partitionsNamedByNumberAreOneShapeAsInPgQuery() {
        QueryAggregator a = new QueryAggregator(new SqlNormalizer(), 100, false);
        a.accept(exec("SELECT * FROM events_20240301 WHERE id = 1", 1, 1));
        a.accept(exec("SELECT * FROM events_20240302 WHERE id = 2", 3, 2));
        a.accept(exec("SELECT * FROM events_1 WHERE id = 3", 5, 3));
        a.accept(exec("SELECT * FROM events_2 WHERE id = 4", 7, 4));
        List<String> shapes = a.shapes().stream().map(s -> s.query() + " x" + s.count()).sorted().toList();
        assertEquals(List.of("SELECT * FROM events_1 WHERE id = $1 x1", "SELECT * FROM events_2 WHERE id = $1 x1",
                "SELECT * FROM events_20240301 WHERE id = $1 x2"), shapes, "runs of two or more digits do not count");
    }

    @Test
    void mergeGivesWhatOneAggregatorGives() {
        Random r = new Random(42);
        List<LogEntry> entries = new ArrayList<>();
        String[] shapes = {"SELECT * FROM orders WHERE id = ", "UPDATE stock SET n = n - 1 WHERE sku = ",
            "SELECT * FROM users WHERE email = 'x", "INSERT INTO audit VALUES ("};
        for (int i = 0; i < 2_000; i++) {
            String sql = shapes[r.nextInt(shapes.length)] + r.nextInt(1000) + (i % 7 == 0 ? "'" : "");
            LogEntry.Builder b = LogEntry.builder().timestamp(T0.plusSeconds(i)).sessionId("s" + r.nextInt(20))
                    .database(r.nextBoolean() ? "shop" : "crm").user("u" + r.nextInt(3)).statement(sql)
                    .phase(r.nextInt(10) == 0 ? StatementPhase.BIND : StatementPhase.EXECUTE)
                    .parameters(List.of(String.valueOf(i)));
            if (r.nextInt(5) != 0) {
                b.durationMs(Math.round(r.nextDouble() * 500_000) / 1000.0);
            }
            entries.add(b.build());
        }
        QueryAggregator whole = new QueryAggregator(new SqlNormalizer(), 100, true);
        QueryAggregator left = new QueryAggregator(new SqlNormalizer(), 100, true);
        QueryAggregator right = new QueryAggregator(new SqlNormalizer(), 100, true);
        for (LogEntry e : entries) {
            whole.accept(e);
            (e.sessionKey().hashCode() % 2 == 0 ? left : right).accept(e);
        }
        left.merge(right);
        Comparator<ShapeSummary> byFp = Comparator.comparing(ShapeSummary::fingerprint);
        List<ShapeSummary> expected = whole.shapes().stream().sorted(byFp).toList();
        List<ShapeSummary> merged = left.shapes().stream().sorted(byFp).toList();
        assertTrue(expected.stream().anyMatch(s -> s.timedCount() > DurationDigest.EXACT_LIMIT),
                "the histogram path is exercised");
        assertEquals(expected, merged);
        assertEquals(whole.statements(), left.statements());
        assertEquals(whole.entries(), left.entries());
        assertEquals(whole.firstTimestamp(), left.firstTimestamp());
        assertEquals(whole.lastTimestamp(), left.lastTimestamp());
    }

    @Test
    void mergeBeyondTheCapFoldsTheShapesSeenLongestAgo() {
        QueryAggregator left = new QueryAggregator(new SqlNormalizer(), 2, false);
        QueryAggregator right = new QueryAggregator(new SqlNormalizer(), 2, false);
        left.accept(exec("SELECT * FROM a", 1, 1));
        left.accept(exec("SELECT * FROM b", 1, 10));
        right.accept(exec("SELECT * FROM c", 1, 5));
        right.accept(exec("SELECT * FROM d", 1, 20));
        left.merge(right);
        assertEquals(List.of("SELECT * FROM b", "SELECT * FROM d"),
                left.shapes().stream().map(ShapeSummary::query).sorted().toList());
        assertEquals(2, left.otherShapes().shapes());
        assertFalse(left.shapes().isEmpty());
    }

    @Test
    void perShapeCountsAreBounded() {
        QueryAggregator a = new QueryAggregator(new SqlNormalizer(), 10, false);
        for (int i = 0; i < ShapeStats.PER_SHAPE_KEYS + 5; i++) {
            a.accept(LogEntry.builder().statement("SELECT 1").phase(StatementPhase.SIMPLE)
                    .application("worker-" + i).build());
        }
        ShapeSummary s = a.shapes().get(0);
        assertEquals(ShapeStats.PER_SHAPE_KEYS + 1, s.applications().size());
        assertEquals(5L, s.applications().get(BoundedCounts.OTHER));
        assertNull(s.applications().get("worker-" + (ShapeStats.PER_SHAPE_KEYS + 1)));
    }
}
