package dev.pgsleuth.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgsleuth.normalize.SqlNormalizer;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ShapeCatalogTest {

    /** The text a session would log for a shape, a report with one of its date literals. */
    private static String statement(ShapeCatalog catalog, int shape, int day) {
        String text = catalog.text(shape);
        return shape >= ShapeCatalog.FIXED && ShapeCatalog.family(shape) == ShapeCatalog.Family.REPORT
                ? text + "'2026-02-" + day + " 00:00:00+00'" + ShapeCatalog.reportTail(shape)
                : text;
    }

    @Test
    void aHundredThousandShapesAreAHundredThousandFingerprints() {
        int n = 100_000;
        ShapeCatalog catalog = new ShapeCatalog(n, ByteSink.Escape.STDERR);
        SqlNormalizer normalizer = new SqlNormalizer();
        Set<String> fingerprints = new HashSet<>();
        for (int shape = 0; shape < n; shape++) {
            fingerprints.add(normalizer.normalize(statement(catalog, shape, 10 + shape % 18)).fingerprint());
        }
        assertEquals(n, fingerprints.size());
    }

    @Test
    void theLastShapesOfTheCapacityAreDistinctToo() {
        ShapeCatalog catalog = new ShapeCatalog(ShapeCatalog.CAPACITY, ByteSink.Escape.STDERR);
        SqlNormalizer normalizer = new SqlNormalizer();
        Set<String> fingerprints = new HashSet<>();
        for (int shape = ShapeCatalog.CAPACITY - 5_000; shape < ShapeCatalog.CAPACITY; shape++) {
            fingerprints.add(normalizer.normalize(statement(catalog, shape, 12)).fingerprint());
        }
        assertEquals(5_000, fingerprints.size());
        assertThrows(IllegalArgumentException.class,
                () -> new ShapeCatalog(ShapeCatalog.CAPACITY + 1, ByteSink.Escape.STDERR));
    }

    @Test
    void literalsDoNotMakeShapes() {
        ShapeCatalog catalog = new ShapeCatalog(1000, ByteSink.Escape.STDERR);
        SqlNormalizer normalizer = new SqlNormalizer();
        int report = ShapeCatalog.FIXED + 2 * ShapeCatalog.TABLES.length;
        assertEquals(ShapeCatalog.Family.REPORT, ShapeCatalog.family(report));
        assertEquals(normalizer.normalize(statement(catalog, report, 10)).fingerprint(),
                normalizer.normalize(statement(catalog, report, 27)).fingerprint());
        assertTrue(statement(catalog, report, 10).contains("\n\t"), "reports are multi-line, tab-indented");
    }

    @Test
    void ormSelectsHaveTenToThirtyColumns() {
        ShapeCatalog catalog = new ShapeCatalog(3000, ByteSink.Escape.STDERR);
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (int shape = ShapeCatalog.FIXED; shape < 3000; shape++) {
            if (ShapeCatalog.family(shape) == ShapeCatalog.Family.H6_SELECT) {
                String text = catalog.text(shape);
                int columns = text.substring(0, text.indexOf(" from ")).split(",").length - 1;
                min = Math.min(min, columns);
                max = Math.max(max, columns);
            }
        }
        assertEquals(10, min);
        assertEquals(30, max);
    }
}
