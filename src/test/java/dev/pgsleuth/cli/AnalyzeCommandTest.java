package dev.pgsleuth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgsleuth.config.AnalysisSettings;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The analyze command as a user runs it: arguments in, report and exit code out. */
class AnalyzeCommandTest {
    private static final Path SAMPLE_CSV = Path.of("sample-logs/postgresql.csv");
    private static final Path SAMPLE_STDERR = Path.of("sample-logs/postgresql.log");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** What one run printed and returned. */
    record Run(int exit, String out, String err) {
        JsonNode json() throws Exception {
            return JSON.readTree(out);
        }
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void theShapeCapFollowsTheHeapUnlessGiven() throws Exception {
        Run byHeap = run("analyze", "--format", "json", SAMPLE_CSV.toString());
        assertEquals(0, byHeap.exit(), byHeap.err());
        assertEquals(AnalysisSettings.defaultShapeCap(), byHeap.json().at("/other/shape_cap").asInt());
        Run given = run("analyze", "--format", "json", "--max-shapes", "5", SAMPLE_CSV.toString());
        assertEquals(0, given.exit(), given.err());
        assertEquals(5, given.json().at("/other/shape_cap").asInt());
        assertTrue(given.json().at("/other/shapes").asInt() > 0, "the sample log has more than 5 shapes");
        Run huge = run("analyze", "--format", "json", "--max-shapes", "2000000000", SAMPLE_CSV.toString());
        assertEquals(0, huge.exit(), "a cap that twice would overflow an int: " + huge.err());
        Run none = run("analyze", "--max-shapes", "0", SAMPLE_CSV.toString());
        assertEquals(ExitCodes.USAGE, none.exit());
        assertTrue(none.err().contains("--max-shapes must be at least 1"), none.err());
    }

    @Test
    void inASmallHeapFewerShapesAreKeptByDefault() throws Exception {
        Path report = dir.resolve("report.json");
        Run r = runInJvm("-Xmx64m", "analyze", "--format", "json", "-o", report.toString(), SAMPLE_CSV.toString());
        assertEquals(0, r.exit(), r.err());
        int cap = JSON.readTree(report.toFile()).at("/other/shape_cap").asInt();
        // one per 8 KB of the heap the JVM reports for -Xmx64m (a little less than 64 MB)
        assertTrue(cap > 7_000 && cap <= 8_192, "shape cap " + cap);
    }

    @Test
    void runningOutOfMemoryIsOneLineAndItsOwnExitCode() throws Exception {
        Path log = dir.resolve("shapes.log");
        assertEquals(0, run("bench", "generate", "--size", "8MB", "--shapes", "20000", "-o", log.toString()).exit());
        Run r = runInJvm("-Xmx12m", "analyze", "--threads", "2", "--max-shapes", "100000", "--format", "json",
                "-o", dir.resolve("report.json").toString(), log.toString());
        assertEquals(ExitCodes.OUT_OF_MEMORY, r.exit(), r.err());
        assertTrue(r.err().startsWith("pgsleuth: out of memory (a Java heap of "), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    /** Runs pgsleuth in a JVM of its own, started with {@code jvmOption}; its output is the error stream. */
    private static Run runInJvm(String jvmOption, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                jvmOption, "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), "", output);
    }

    @Test
    void jsonReportOfASampleLogCountsItsStatements() throws Exception {
        Run r = run("analyze", "--format", "json", SAMPLE_CSV.toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode report = r.json();
        assertEquals("pgsleuth-report/1", report.get("schema").asText());
        assertEquals("csvlog", report.at("/input/sources/0/format").asText());
        assertEquals(0, report.at("/input/unparsed_lines").asLong());
        assertTrue(report.at("/input/statements").asLong() > 50, report.at("/input").toString());
        long sum = 0;
        for (JsonNode q : report.get("queries")) {
            sum += q.get("count").asLong();
        }
        assertEquals(report.at("/input/statements").asLong(), sum + report.at("/other/count").asLong(0));
    }

    @Test
    void outputFileAndTextFormat() throws Exception {
        Path file = dir.resolve("report.json");
        Run r = run("analyze", "-o", file.toString(), SAMPLE_CSV.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals("", r.out());
        assertEquals("pgsleuth-report/1", JSON.readTree(file.toFile()).get("schema").asText());

        Run text = run("analyze", "--format", "text", "--top", "3", SAMPLE_CSV.toString());
        assertEquals(0, text.exit(), text.err());
        assertTrue(text.out().contains("Top shapes by total time"), text.out());
        text.out().lines().forEach(line -> assertTrue(line.length() <= 100, line));
    }

    @Test
    void gzipInputGivesTheSameReportAsThePlainFile() throws Exception {
        Path gz = dir.resolve("postgresql.csv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            Files.copy(SAMPLE_CSV, out);
        }
        JsonNode plain = run("analyze", "--format", "json", SAMPLE_CSV.toString()).json();
        JsonNode zipped = run("analyze", "--format", "json", gz.toString()).json();
        assertEquals(plain.get("queries"), zipped.get("queries"));
        assertEquals(plain.get("events"), zipped.get("events"));
    }

    @Test
    void standardInput() throws Exception {
        InputStream saved = System.in;
        try {
            System.setIn(new ByteArrayInputStream(Files.readAllBytes(SAMPLE_CSV)));
            Run r = run("analyze", "--format", "json", "-");
            assertEquals(0, r.exit(), r.err());
            assertEquals("-", r.json().at("/input/sources/0/path").asText());
            assertEquals(run("analyze", "--format", "json", SAMPLE_CSV.toString()).json().get("queries"),
                    r.json().get("queries"));
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void missingFileIsExitThreeWithOneLine() {
        Run r = run("analyze", dir.resolve("nope.log").toString());
        assertEquals(3, r.exit());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("nope.log"), r.err());
    }

    @Test
    void aReportThatCannotBeWrittenIsExitThreeWithItsReason() throws Exception {
        Run noDirectory = run("analyze", "-o", dir.resolve("no/such/dir/report.json").toString(), SAMPLE_CSV.toString());
        assertEquals(3, noDirectory.exit(), noDirectory.err());
        assertEquals(1, noDirectory.err().strip().lines().count(), noDirectory.err());
        assertTrue(noDirectory.err().contains("report.json: no such directory"), noDirectory.err());
        Run aDirectory = run("analyze", "--format", "text", "-o", dir.toString(), SAMPLE_CSV.toString());
        assertEquals(3, aDirectory.exit(), aDirectory.err());
        assertTrue(aDirectory.err().strip().endsWith(dir + ": is a directory"), aDirectory.err());
    }

    @Test
    void unknownFormatIsExitThree() throws Exception {
        Path junk = dir.resolve("junk.txt");
        Files.writeString(junk, "this is not a PostgreSQL log\nneither is this\n", StandardCharsets.UTF_8);
        Run r = run("analyze", junk.toString());
        assertEquals(3, r.exit(), r.out() + r.err());
        assertFalse(r.err().contains("at dev.pgsleuth"), r.err());
    }

    @Test
    void badOptionsAreExitTwo() {
        assertEquals(2, run("analyze", "--format", "xml", SAMPLE_CSV.toString()).exit());
        assertEquals(2, run("analyze", "--top", "0", SAMPLE_CSV.toString()).exit());
        assertEquals(2, run("analyze").exit());
        assertEquals(2, run("analyze", "--fail-on", "not a category!", SAMPLE_CSV.toString()).exit());
        assertEquals(2, run("frobnicate").exit());
    }

    @Test
    void helpAndVersion() {
        Run help = run("analyze", "--help");
        assertEquals(0, help.exit());
        assertTrue(help.out().contains("Exit codes:"), help.out());
        assertTrue(help.out().contains("Input missing, unreadable"), help.out());
        Run version = run("--version");
        assertEquals(0, version.exit());
        assertTrue(version.out().startsWith("pgsleuth "), version.out());
    }

    @Test
    void everyCommandsHelpRendersWithoutPicocliWarnings() {
        // picocli reports a description it cannot format (a lone % in it) on System.err
        java.io.ByteArrayOutputStream warnings = new java.io.ByteArrayOutputStream();
        java.io.PrintStream stderr = System.err;
        System.setErr(new java.io.PrintStream(warnings, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            for (String[] command : new String[][] {{"analyze"}, {"watch"}, {"explain"}, {"rules"}, {"bench"},
                    {"bench", "generate"}, {"bench", "run"}}) {
                String[] args = java.util.Arrays.copyOf(command, command.length + 1);
                args[command.length] = "--help";
                Run help = run(args);
                assertEquals(0, help.exit(), String.join(" ", args));
                assertTrue(help.out().contains("Exit codes:"), help.out());
            }
        } finally {
            System.setErr(stderr);
        }
        assertEquals("", warnings.toString(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void forcedPrefixReadsAStderrLog() throws Exception {
        Run r = run("analyze", "--format", "json", "--log-format", "stderr", "--prefix", "%m [%p] %q%u@%d/%a %c:%l ",
                SAMPLE_STDERR.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals(0, r.json().at("/input/unparsed_lines").asLong(), r.json().at("/input").toString());
        assertEquals(run("analyze", "--format", "json", SAMPLE_CSV.toString()).json().at("/input/statements"),
                r.json().at("/input/statements"));
    }

    @Test
    void failOnExitsFourOnlyForFindingsNotInTheBaseline() throws Exception {
        // the sample workload has an N+1 loop of 20 order look-ups (severity low)
        assertEquals(4, run("analyze", "--format", "json", "--fail-on", "n-plus-one", SAMPLE_CSV.toString()).exit());
        assertEquals(4, run("analyze", "--format", "json", "--fail-on", "low", SAMPLE_CSV.toString()).exit());
        assertEquals(0, run("analyze", "--format", "json", "--fail-on", "critical", SAMPLE_CSV.toString()).exit());
        assertEquals(0, run("analyze", "--format", "json", "--fail-on", "duplicate-query", SAMPLE_CSV.toString()).exit());

        Path known = dir.resolve("known.json");
        assertEquals(4, run("analyze", "-o", known.toString(), "--fail-on", "n-plus-one", SAMPLE_CSV.toString()).exit());
        Run again = run("analyze", "--format", "json", "--fail-on", "n-plus-one", "--baseline", known.toString(),
                SAMPLE_CSV.toString());
        assertEquals(0, again.exit(), again.err());
        assertTrue(again.json().get("findings").size() > 0, "the findings are still reported, only known");

        Run missing = run("analyze", "--baseline", dir.resolve("nope.json").toString(), SAMPLE_CSV.toString());
        assertEquals(3, missing.exit());
    }
}
