package dev.pgsleuth.pipeline;

import dev.pgsleuth.config.AnalysisSettings;
import dev.pgsleuth.report.Report;
import dev.pgsleuth.report.ReportBuilder;
import dev.pgsleuth.source.LogInput;
import java.nio.file.Path;
import java.time.OffsetDateTime;

/** Runs the whole analysis on files, as {@code analyze} does. */
final class AnalysisFixtures {
    /** A fixed generation time, so reports of the same input are equal. */
    static final OffsetDateTime GENERATED_AT = OffsetDateTime.parse("2026-01-01T00:00:00Z");

    private AnalysisFixtures() {
    }

    static Report analyze(AnalysisSettings settings, Path... files) {
        Analysis analysis = new Analysis(settings);
        for (Path f : files) {
            analysis.read(LogInput.of(f));
        }
        return analysis.finish(new ReportBuilder("test").generatedAt(GENERATED_AT));
    }

    static Report analyze(Path... files) {
        return analyze(AnalysisSettings.defaults(), files);
    }
}
