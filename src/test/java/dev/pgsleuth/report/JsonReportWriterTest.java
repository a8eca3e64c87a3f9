package dev.pgsleuth.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgsleuth.bench.SyntheticLog;
import dev.pgsleuth.config.AnalysisSettings;
import dev.pgsleuth.parse.LogFormat;
import dev.pgsleuth.pipeline.Analysis;
import dev.pgsleuth.source.LogInput;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report's own number and time formatting, held to the JDK's; the text the same on any number of threads. */
class JsonReportWriterTest {
    @TempDir
    Path dir;

    @Test
    void theReportRenderedOnSeveralThreadsIsTheTextOfOne() throws IOException {
        Path log = dir.resolve("shapes.log");
        SyntheticLog.write(new SyntheticLog.Settings(LogFormat.STDERR, 12 << 20, 2_000, 3), log);
        assertSameTextOnAnyThreads(report(log));
    }

    @Test
    void textBeyondAsciiIsCopiedWholeFromTheRenderingThreads() throws IOException {
        Report report = report(utf8Log(3 * JsonReportWriter.CHUNK));
        assertTrue(report.queries().get(0).query().contains("café_"), report.queries().get(0).query());
        assertSameTextOnAnyThreads(report);
    }

    @Test
    void aShortListIsRenderedInSmallerChunksToTheSameText() throws IOException {
        // 40 shapes: chunks of 16 on two and three threads, the last one short
        assertSameTextOnAnyThreads(report(utf8Log(40)));
    }

    /** A log of {@code shapes} statements of distinct shapes, with text beyond ASCII. */
    private Path utf8Log(int shapes) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < shapes; i++) {
            lines.append("2026-03-02 08:00:00.123 UTC [4242] LOG:  duration: 1.5 ms  statement: SELECT \"prénom_")
                    .append(i).append("\" FROM \"café_").append(i).append("\" WHERE note = '日本 ✓'\n");
        }
        return Files.writeString(dir.resolve("utf8-" + shapes + ".log"), lines, StandardCharsets.UTF_8);
    }

    private static Report report(Path log) {
        Analysis analysis = new Analysis(AnalysisSettings.defaults(), 1);
        analysis.readAll(List.of(LogInput.of(log)));
        return analysis.finish(new ReportBuilder("test"));
    }

    /** The report's text on 2 and 3 threads, to a writer and to a stream, is that of one thread. */
    private static void assertSameTextOnAnyThreads(Report report) throws IOException {
        assertTrue(report.queries().size() > 2 * JsonReportWriter.MIN_CHUNK, "several chunks: " + report.queries().size());
        for (boolean pretty : new boolean[] {true, false}) {
            String one = text(new JsonReportWriter(pretty, false, 1), report);
            for (int threads : new int[] {2, 3}) {
                JsonReportWriter several = new JsonReportWriter(pretty, false, threads);
                assertEquals(one, text(several, report), pretty + ", " + threads + " threads");
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                several.write(report, bytes);
                assertEquals(one, bytes.toString(StandardCharsets.UTF_8), pretty + ", " + threads + " threads, stream");
            }
        }
    }

    private static String text(JsonReportWriter writer, Report report) throws IOException {
        StringWriter out = new StringWriter();
        writer.write(report, out);
        return out.toString();
    }

    @Test
    void timesAreWrittenAsIsoOffsetDateTimeWritesThem() {
        Random r = new Random(17);
        ZoneOffset[] offsets = {ZoneOffset.UTC, ZoneOffset.ofHours(2), ZoneOffset.ofHoursMinutes(-5, -30),
            ZoneOffset.ofTotalSeconds(3_723), ZoneOffset.ofHours(14)};
        for (int i = 0; i < 20_000; i++) {
            long second = r.nextLong(-70_000_000_000L, 300_000_000_000L);
            int nanos = switch (r.nextInt(5)) {
                case 0 -> 0;
                case 1 -> r.nextInt(1_000) * 1_000_000;
                case 2 -> r.nextInt(1_000_000) * 1_000;
                case 3 -> r.nextInt(10) * 100_000_000;
                default -> r.nextInt(1_000_000_000);
            };
            OffsetDateTime t = Instant.ofEpochSecond(second, nanos).atOffset(offsets[r.nextInt(offsets.length)]);
            assertEquals(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t), JsonReportWriter.isoTime(t));
        }
    }

    @Test
    void doublesAreWrittenPlainAsBigDecimalWritesThem() {
        Random r = new Random(5);
        double[] fixed = {0.0, -0.0, 1.0, 100.0, 0.001, 0.0001, 1e-7, 9_999_999.0, 10_000_000.0, 1e21, 123.456,
            -42.5, Double.MIN_VALUE, Double.MAX_VALUE, 0.1 + 0.2, 0.002, 0.02, -0.001, 999_999_999_999.999, 1e12,
            1e12 + 0.25, 8_796_093_022.207};
        for (double v : fixed) {
            assertEquals(BigDecimal.valueOf(v).stripTrailingZeros().toPlainString(), JsonReportWriter.plain(v),
                    String.valueOf(v));
        }
        for (int i = 0; i < 100_000; i++) {
            double v = switch (r.nextInt(5)) {
                case 0 -> r.nextInt(100_000) / 1_000.0;
                case 1 -> r.nextDouble() * Math.pow(10, r.nextInt(24) - 8);
                case 2 -> Double.longBitsToDouble(r.nextLong());
                // whole thousandths (durations in milliseconds) up to 10^13, written directly below 10^12
                case 3 -> r.nextLong(-10_000_000_000_000_000L, 10_000_000_000_000_000L) / 1_000.0;
                default -> -r.nextInt(1_000_000) / 10.0;
            };
            if (Double.isFinite(v)) {
                assertEquals(BigDecimal.valueOf(v).stripTrailingZeros().toPlainString(), JsonReportWriter.plain(v),
                        String.valueOf(v));
            }
        }
    }
}
