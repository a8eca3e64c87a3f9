package dev.pgsleuth.cli;

import dev.pgsleuth.config.AnalysisSettings;
import dev.pgsleuth.detect.nplusone.NPlusOneSettings;
import dev.pgsleuth.explain.ConnectionSettings;
import dev.pgsleuth.explain.Explainer;
import dev.pgsleuth.explain.IndexVerifier;
import dev.pgsleuth.pipeline.ExplainStage;
import dev.pgsleuth.rules.RuleEngine;
import java.time.Clock;
import java.time.Duration;
import dev.pgsleuth.model.FindingSeverity;
import dev.pgsleuth.parse.LogFormat;
import dev.pgsleuth.pipeline.Analysis;
import dev.pgsleuth.report.Baseline;
import dev.pgsleuth.report.JsonReportWriter;
import dev.pgsleuth.report.Report;
import dev.pgsleuth.report.ReportBuilder;
import dev.pgsleuth.report.TextSummary;
import dev.pgsleuth.source.InputException;
import dev.pgsleuth.source.LogInput;
import dev.pgsleuth.source.LogInputs;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pgsleuth analyze FILE…}: reads logs once and writes the report. */
@Command(name = "analyze",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = {
            "Reads PostgreSQL logs (stderr with any log_line_prefix, csvlog, jsonlog, syslog, hosted variants; "
                    + "plain, .gz, .bz2, .xz, .zst) and reports statement shapes, events and findings.",
            "Example: pgsleuth analyze --format json -o report.json /var/log/postgresql/postgresql-*.log.gz"
        })
final class AnalyzeCommand implements Callable<Integer> {

    enum OutputFormat { text, json }

    @picocli.CommandLine.Mixin
    RulesOption rulesOption = new RulesOption();

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE",
            description = "Log files, globs, directories, or - for standard input.")
    List<String> inputs;

    @Option(names = "--format", paramLabel = "text|json",
            description = "Output format (default: text on a terminal, json otherwise or with -o).")
    OutputFormat format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the report to FILE instead of stdout.")
    Path output;

    @Option(names = "--log-format", paramLabel = "FORMAT",
            description = "Force the log format: stderr, csvlog, jsonlog, syslog, cloudsql, cnpg or heroku "
                    + "(default: detected per input).")
    LogFormat logFormat;

    @Option(names = "--prefix", paramLabel = "PREFIX",
            description = "The server's log_line_prefix, e.g. '%%m [%%p] %%q%%u@%%d ' (default: inferred per input).")
    String prefix;

    @Option(names = "--top", paramLabel = "N", defaultValue = "10",
            description = "Rows per table in the text summary (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--show-values",
            description = "Keep literal values and bind parameters in examples (masked by default: logs hold personal data).")
    boolean showValues;

    @picocli.CommandLine.Mixin
    ShapeCapOption shapeCap = new ShapeCapOption();

    @Option(names = "--fail-on", paramLabel = "CATEGORY|SEVERITY", split = ",",
            description = "Exit with code 4 when a finding of this category (e.g. n-plus-one) or of at least "
                    + "this severity (info, low, medium, high, critical) is in the report and not in the baseline.")
    List<String> failOn = List.of();

    @Option(names = "--baseline", paramLabel = "FILE",
            description = "A previous report: its findings are known and never trigger --fail-on.")
    Path baseline;

    @Option(names = "--min-repetitions", paramLabel = "N", defaultValue = "5",
            description = "N+1: a loop is one SELECT shape run at least N times with different values in one session "
                    + "(default: ${DEFAULT-VALUE}).")
    int minRepetitions;

    @Option(names = "--max-gap-ms", paramLabel = "MS", defaultValue = "100",
            description = "N+1: the repetitions of a loop are at most this far apart; farther apart they are separate "
                    + "requests (default: ${DEFAULT-VALUE}).")
    long maxGapMs;

    @picocli.CommandLine.Mixin
    DatabaseOptions database = new DatabaseOptions();

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads that parse the log in blocks and normalize statements; the report is the same "
                    + "for any number (default: the number of cores).")
    Integer threads;

    @Override
    public Integer call() {
        if (top < 1) {
            throw new UsageException("--top must be at least 1");
        }
        int maxShapes = shapeCap.shapeCap();
        FindingGate gate = FindingGate.parse(failOn);
        Baseline known = baseline == null ? Baseline.empty() : readBaseline(baseline);
        checkOutput();

        ConnectionSettings connection = database.connection(spec);
        RuleEngine rules = connection == null ? null : rulesOption.engine();

        int threadCount = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (threadCount < 1) {
            throw new UsageException("--threads must be at least 1");
        }
        Analysis analysis = new Analysis(new AnalysisSettings(logFormat, prefix, showValues, maxShapes,
                nPlusOneSettings()), threadCount);
        List<LogInput> resolved = LogInputs.resolve(inputs);
        Progress progress = Progress.forInputs(resolved, spec.commandLine().getErr(), System.console() != null);
        analysis.readAll(progress == null ? resolved : resolved.stream().map(progress::track).toList());
        if (progress != null) {
            progress.finish();
        }
        Report report;
        if (connection == null) {
            report = analysis.finish(new ReportBuilder(Main.version()));
        } else {
            try (Explainer explainer = new Explainer(connection, database.explainOptions(), Clock.systemUTC())) {
                IndexVerifier verifier = new IndexVerifier(explainer, database.verifyIndexes.mode);
                ExplainStage stage = new ExplainStage(explainer, verifier, rules,
                        analysis.normalizer(), database.selection(), connection.toString());
                report = analysis.finish(new ReportBuilder(Main.version()), stage);
                if (database.verifyIndexes == DatabaseOptions.VerifyIndexes.hypopg && verifier.hypopgMissing() != null) {
                    spec.commandLine().getErr().println("pgsleuth: --verify-indexes=hypopg: "
                            + verifier.hypopgMissing() + "; index suggestions are unverified");
                    spec.commandLine().getErr().flush();
                }
            }
        }
        write(report, threadCount);
        if (gate.matchesAny(report.findings(), known)) {
            return ExitCodes.FINDINGS;
        }
        return databaseUnavailable(report) ? ExitCodes.DATABASE : ExitCodes.OK;
    }

    private NPlusOneSettings nPlusOneSettings() {
        try {
            return NPlusOneSettings.defaults().withMinRepetitions(minRepetitions)
                    .withMaxGap(Duration.ofMillis(maxGapMs));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** The report was written without plans because the database could not be reached: say so once. */
    private boolean databaseUnavailable(Report report) {
        if (report.explain() == null) {
            return false;
        }
        for (Report.ExplainSkip skip : report.explain().skipped()) {
            if (skip.status().equals("unavailable")) {
                spec.commandLine().getErr().println("pgsleuth: the report has no plans: " + skip.reason());
                spec.commandLine().getErr().flush();
                return true;
            }
        }
        return false;
    }

    private static Baseline readBaseline(Path file) {
        try {
            return Baseline.read(file);
        } catch (IOException e) {
            throw new InputException("cannot read baseline " + file + ": " + e.getMessage());
        }
    }

    /** Fails before the analysis, not after it, when {@code -o} names a directory or a file in none. */
    private void checkOutput() {
        if (output == null) {
            return;
        }
        Path parent = output.toAbsolutePath().getParent();
        if (Files.isDirectory(output)) {
            throw new InputException("cannot write " + output + ": is a directory");
        }
        if (parent != null && !Files.isDirectory(parent)) {
            throw new InputException("cannot write " + output + ": no such directory");
        }
    }

    /** Writes the report where {@code -o} says, else to standard output; the JSON rendered on {@code threads} threads. */
    private void write(Report report, int threads) {
        OutputFormat chosen = format != null ? format
                : (output == null && System.console() != null ? OutputFormat.text : OutputFormat.json);
        String target = output == null ? "the report" : output.toString();
        try {
            if (output == null) {
                PrintWriter out = spec.commandLine().getOut();
                if (chosen == OutputFormat.json) {
                    new JsonReportWriter(true, true, threads).write(report, out);
                    out.write("\n");
                } else {
                    out.write(new TextSummary(top).render(report));
                }
                out.flush();
            } else if (chosen == OutputFormat.json) {
                // streamed as UTF-8 bytes: for tens of thousands of shapes it is too large to build
                // as one string, and the rendered chunks are copied without encoding them again
                try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(output), 1 << 16)) {
                    new JsonReportWriter(true, true, threads).write(report, out);
                    out.write('\n');
                }
            } else {
                Files.writeString(output, new TextSummary(top).render(report), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new InputException("cannot write " + target + ": " + reason(e));
        }
    }

    /** Why a file could not be written, in words: the JDK's message for these is the path alone. */
    private static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e instanceof FileSystemException fs && fs.getReason() != null ? fs.getReason() : e.getMessage();
    }

    /** Which findings make {@code --fail-on} exit with code 4. */
    record FindingGate(List<String> categories, FindingSeverity minSeverity) {

        static FindingGate parse(List<String> values) {
            List<String> categories = new java.util.ArrayList<>();
            FindingSeverity min = null;
            for (String v : values) {
                String s = v.trim().toLowerCase(Locale.ROOT);
                FindingSeverity sev = severity(s);
                if (sev != null) {
                    min = min == null || sev.compareTo(min) < 0 ? sev : min;
                } else if (s.matches("[a-z0-9-]+")) {
                    categories.add(s);
                } else {
                    throw new UsageException("--fail-on takes a finding category or a severity, not '" + v + "'");
                }
            }
            return new FindingGate(List.copyOf(categories), min);
        }

        private static FindingSeverity severity(String s) {
            for (FindingSeverity f : FindingSeverity.values()) {
                if (f.reportName().equals(s)) {
                    return f;
                }
            }
            return null;
        }

        boolean matchesAny(List<Report.FindingEntry> findings, Baseline known) {
            for (Report.FindingEntry f : findings) {
                if (!known.isKnown(f.id()) && matches(f)) {
                    return true;
                }
            }
            return false;
        }

        private boolean matches(Report.FindingEntry f) {
            FindingSeverity sev = severity(f.severity());
            return categories.contains(f.category())
                    || (minSeverity != null && sev != null && sev.compareTo(minSeverity) >= 0);
        }
    }
}
