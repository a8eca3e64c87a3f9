package dev.pgsleuth.cli;

import dev.pgsleuth.bench.EntryKind;
import dev.pgsleuth.bench.Summary;
import dev.pgsleuth.bench.SyntheticLog;
import dev.pgsleuth.parse.LogFormat;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code pgsleuth bench}: the reproducible benchmark. {@code generate} writes the synthetic log;
 * {@code run} generates it (or reuses a cached copy) and times {@code analyze} on it in-process,
 * printing MB/s, entries/s and peak heap per format and thread count.
 */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        description = "Benchmark tools: generate a realistic, deterministic PostgreSQL 17 log, and time analyze on it.",
        subcommands = {BenchCommand.Generate.class, BenchRun.class})
public final class BenchCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a subcommand is required: generate or run");
    }

    /** {@code pgsleuth bench generate}. */
    @Command(name = "generate",
            mixinStandardHelpOptions = true,
            description = "Writes a synthetic PostgreSQL 17 log: same seed and settings, same bytes.")
    static final class Generate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--format", defaultValue = "stderr", paramLabel = "FORMAT",
                description = "stderr (prefix '%%m [%%p] %%q%%u@%%d/%%a %%c:%%l '), csvlog or jsonlog. Default: ${DEFAULT-VALUE}.")
        String format;

        @Option(names = "--size", defaultValue = "100MB", paramLabel = "SIZE",
                description = "Size to write: bytes, or with a suffix KB, MB, GB (powers of 1024). Default: ${DEFAULT-VALUE}.")
        String size;

        @Option(names = "--shapes", defaultValue = "" + SyntheticLog.DEFAULT_SHAPES, paramLabel = "N",
                description = "Distinct statement shapes. Default: ${DEFAULT-VALUE}.")
        int shapes;

        @Option(names = "--seed", defaultValue = "1", description = "Random seed. Default: ${DEFAULT-VALUE}.")
        long seed;

        @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "The log file to write.")
        Path output;

        @Override
        public Integer call() throws IOException {
            SyntheticLog.Settings settings;
            try {
                settings = new SyntheticLog.Settings(format(format), parseSize(size), shapes, seed);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            long start = System.nanoTime();
            Summary summary = SyntheticLog.write(settings, output);
            double seconds = (System.nanoTime() - start) / 1e9;
            print(spec.commandLine().getOut(), summary, seconds);
            return 0;
        }

        static LogFormat format(String name) {
            for (LogFormat f : new LogFormat[] {LogFormat.STDERR, LogFormat.CSVLOG, LogFormat.JSONLOG}) {
                if (f.cliName().equals(name.toLowerCase(Locale.ROOT))) {
                    return f;
                }
            }
            throw new IllegalArgumentException("--format must be stderr, csvlog or jsonlog: " + name);
        }

        private void print(PrintWriter out, Summary s, double seconds) {
            double mb = s.bytes() / (1024.0 * 1024.0);
            out.printf(Locale.ROOT, "wrote %s: %s, %,d bytes (%.1f MB), %,d lines, %,d entries in %.2f s (%.1f MB/s)%n",
                    output, s.format().cliName(), s.bytes(), mb, s.lines(), s.entries(), seconds, mb / seconds);
            out.printf(Locale.ROOT, "sessions %,d; shapes %,d used of %,d requested; N+1 loops %,d with %,d lookups%n",
                    s.sessions(), s.distinctShapes(), s.shapesRequested(), s.nPlusOneLoops(), s.nPlusOneLookups());
            for (EntryKind k : EntryKind.values()) {
                out.printf(Locale.ROOT, "  %-26s %,14d%n", k.name().toLowerCase(Locale.ROOT), s.count(k));
            }
            out.flush();
        }
    }

    /** {@code 100MB}, {@code 1GB}, {@code 512k}, {@code 1048576}: a size in bytes (suffixes are powers of 1024). */
    static long parseSize(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT);
        if (t.endsWith("B")) {
            t = t.substring(0, t.length() - 1);
        }
        long unit = 1;
        if (!t.isEmpty()) {
            switch (t.charAt(t.length() - 1)) {
                case 'K' -> unit = 1L << 10;
                case 'M' -> unit = 1L << 20;
                case 'G' -> unit = 1L << 30;
                default -> { }
            }
        }
        if (unit > 1) {
            t = t.substring(0, t.length() - 1);
        }
        try {
            double v = Double.parseDouble(t.trim());
            if (!(v > 0) || v * unit > Long.MAX_VALUE / 2) {
                throw new IllegalArgumentException("--size must be positive: " + text);
            }
            return (long) (v * unit);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--size is not a size (e.g. 100MB, 1GB): " + text);
        }
    }
}
