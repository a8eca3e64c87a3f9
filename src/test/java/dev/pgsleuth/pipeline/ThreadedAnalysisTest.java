package dev.pgsleuth.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgsleuth.bench.SyntheticLog;
import dev.pgsleuth.config.AnalysisSettings;
import dev.pgsleuth.normalize.SqlNormalizer;
import dev.pgsleuth.parse.LogFormat;
import dev.pgsleuth.report.JsonReportWriter;
import dev.pgsleuth.report.Report;
import dev.pgsleuth.report.ReportBuilder;
import dev.pgsleuth.source.LogInput;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code --threads N} changes how fast the report comes, never what it says: on generated logs of
 * every synthetic format, with N+1 loops, errors, temp files and thousands of shapes, the JSON
 * report of one thread and of several is the same text.
 */
class ThreadedAnalysisTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = LogFormat.class, names = {"STDERR", "CSVLOG", "JSONLOG"})
    void severalThreadsWriteTheSameReportAsOne(LogFormat format) throws IOException {
        Path file = dir.resolve("synthetic." + format.cliName());
        SyntheticLog.write(new SyntheticLog.Settings(format, 4 << 20, 1500, 7), file);

        String one = json(file, 1, AnalysisSettings.defaults());
        String two = json(file, 2, AnalysisSettings.defaults());
        String three = json(file, 3, AnalysisSettings.defaults());

        assertTrue(one.contains("\"n-plus-one\""), "the log has N+1 loops to find");
        assertEquals(one, two);
        assertEquals(one, three);
    }

    @ParameterizedTest
    @EnumSource(value = LogFormat.class, names = {"STDERR"})
    void theShapeCapFoldsTheSameShapesWhateverTheThreads(LogFormat format) throws IOException {
        Path file = dir.resolve("synthetic." + format.cliName());
        SyntheticLog.write(new SyntheticLog.Settings(format, 2 << 20, 1500, 3), file);
        AnalysisSettings capped = new AnalysisSettings(null, null, false, 200, AnalysisSettings.defaults().nPlusOne());

        String one = json(file, 1, capped);
        String two = json(file, 2, capped);

        assertTrue(one.contains("\"shapes_capped\" : true"), "the cap is reached");
        assertEquals(one, two);
    }

    @Test
    void theNormalizersShapeCachesFollowTheShapeCap() throws IOException {
        Path file = dir.resolve("synthetic.log");
        SyntheticLog.write(new SyntheticLog.Settings(LogFormat.STDERR, 2 << 20, 1500, 3), file);
        AnalysisSettings capped = new AnalysisSettings(null, null, false, 50, AnalysisSettings.defaults().nPlusOne());
        Analysis analysis = new Analysis(capped, 2);
        analysis.readAll(List.of(LogInput.of(file)));
        Report report = analysis.finish(new ReportBuilder("test"));

        long distinct = report.queries().size() + report.other().shapes();
        assertTrue(distinct > 100, "more shapes than twice the cap: " + distinct);
        SqlNormalizer normalizer = (SqlNormalizer) analysis.normalizer();
        // at most twice the cap each, not every shape of the log (a small heap ran out of memory)
        assertTrue(normalizer.cachedOutlines() <= 100, "outlines " + normalizer.cachedOutlines());
        assertTrue(normalizer.cachedShapes() <= 100, "shapes " + normalizer.cachedShapes());
    }

    private static String json(Path file, int threads, AnalysisSettings settings) {
        Analysis analysis = new Analysis(settings, threads);
        analysis.readAll(List.of(LogInput.of(file)));
        Report report = analysis.finish(new ReportBuilder("test").generatedAt(AnalysisFixtures.GENERATED_AT));
        return new JsonReportWriter().toJson(report);
    }
}
