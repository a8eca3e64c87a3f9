package dev.pgsleuth.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pgsleuth.model.NormalizedStatement;
import dev.pgsleuth.model.QueryShape;
import dev.pgsleuth.normalize.SqlNormalizer;
import org.junit.jupiter.api.Test;

/** The benchmark's statements get the same kind, tables and flags from the lexer as from the parser. */
class ShapeCatalogOutlineTest {

    @Test
    void outlineEqualsParsedShapeOnEveryBenchmarkShape() {
        ShapeCatalog catalog = new ShapeCatalog(3000, ByteSink.Escape.STDERR);
        SqlNormalizer normalizer = new SqlNormalizer();
        for (int s = 0; s < catalog.size(); s++) {
            String text = catalog.text(s);
            if (s >= ShapeCatalog.FIXED && ShapeCatalog.family(s) == ShapeCatalog.Family.REPORT) {
                text = text + "'2024-01-01'" + ShapeCatalog.reportTail(s);
            }
            NormalizedStatement ns = normalizer.normalize(text);
            QueryShape full = normalizer.shape(ns);
            QueryShape outline = new SqlNormalizer().outline(ns);
            assertEquals(full.kind(), outline.kind(), text);
            assertEquals(full.tables(), outline.tables(), text);
            assertEquals(full.hasJoin(), outline.hasJoin(), "join: " + text);
            assertEquals(full.hasAggregate(), outline.hasAggregate(), "aggregate: " + text);
            assertEquals(full.hasLimit(), outline.hasLimit(), "limit: " + text);
        }
    }
}
