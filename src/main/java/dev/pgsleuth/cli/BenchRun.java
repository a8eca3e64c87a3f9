package dev.pgsleuth.cli;

import dev.pgsleuth.bench.SyntheticLog;
import dev.pgsleuth.config.AnalysisSettings;
import dev.pgsleuth.parse.LogFormat;
import dev.pgsleuth.pipeline.Analysis;
import dev.pgsleuth.report.JsonReportWriter;
import dev.pgsleuth.report.Report;
import dev.pgsleuth.report.ReportBuilder;
import dev.pgsleuth.source.LogInput;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code pgsleuth bench run}: times the whole one-shot analysis (read, parse, normalize,
 * aggregate, events, N+1 detection, report building and JSON writing; EXPLAIN off) on synthetic
 * logs. The logs are cached by their settings in a directory, so reruns time the analysis only.
 */
@Command(name = "run",
        mixinStandardHelpOptions = true,
        description = {"Times analyze in-process on synthetic logs (generated once, cached by settings) and prints "
                + "MB/s, entries/s and peak heap per format and thread count.",
            "Example: pgsleuth bench run --size 200MB --formats stderr,csvlog,jsonlog --threads 1,2"})
final class BenchRun implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--formats", defaultValue = "stderr,csvlog,jsonlog", split = ",", paramLabel = "FORMAT",
            description = "Log formats to time (stderr, csvlog, jsonlog). Default: ${DEFAULT-VALUE}.")
    List<String> formats;

    @Option(names = "--size", defaultValue = "100MB", paramLabel = "SIZE",
            description = "Size of each synthetic log (KB, MB, GB suffixes). Default: ${DEFAULT-VALUE}.")
    String size;

    @Option(names = "--shapes", defaultValue = "" + SyntheticLog.DEFAULT_SHAPES, paramLabel = "N",
            description = "Distinct statement shapes in the log. Default: ${DEFAULT-VALUE}.")
    int shapes;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed of the log. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--threads", split = ",", paramLabel = "N",
            description = "Thread counts to time, e.g. 1,2. Default: 1 and the number of cores.")
    List<Integer> threads;

    @Option(names = "--warmup", defaultValue = "auto", paramLabel = "N|auto",
            description = "Untimed runs first, per format and thread count; auto: until the JIT compiler spent "
                    + "under 2 percent of two runs in a row compiling (at most " + MAX_WARMUP + " runs), then "
                    + "rounds of every thread count until one is that quiet (at most " + MAX_SETTLING_ROUNDS
                    + "). Default: ${DEFAULT-VALUE}.")
    String warmup;

    /** Warm-up runs at most when {@code --warmup auto}: about 3 GB of a 100 MB log. */
    static final int MAX_WARMUP = 30;

    /** A run in which the JIT compiler worked for less than this share of its time is warm ({@link Timing#compilerQuiet}). */
    private static final double SETTLED_JIT_SHARE = 0.02;

    /** Rounds of every thread count at most, after each count's own warm-up, until one is quiet. */
    private static final int MAX_SETTLING_ROUNDS = 10;

    @Option(names = "--repeat", defaultValue = "3", paramLabel = "N",
            description = "Timed runs; the median is printed. Default: ${DEFAULT-VALUE}.")
    int repeat;

    @Option(names = "--gzip", description = "Also time each log gzip-compressed, and the decompressor alone.")
    boolean gzip;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "Where generated logs are cached. Default: pgsleuth-bench in the temporary directory.")
    Path dir;

    @Override
    public Integer call() throws IOException {
        int warmups = warmupRuns();
        if (repeat < 1) {
            throw new ParameterException(spec.commandLine(), "--repeat must be at least 1");
        }
        List<Integer> counts = threads != null ? threads
                : Runtime.getRuntime().availableProcessors() > 1
                        ? List.of(1, Runtime.getRuntime().availableProcessors()) : List.of(1);
        for (int t : counts) {
            if (t < 1) {
                throw new ParameterException(spec.commandLine(), "--threads must be at least 1: " + t);
            }
        }
        List<SyntheticLog.Settings> logs = new ArrayList<>();
        try {
            long bytes = BenchCommand.parseSize(size);
            for (String f : formats) {
                logs.add(new SyntheticLog.Settings(BenchCommand.Generate.format(f.trim()), bytes, shapes, seed));
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Path cache = dir != null ? dir : Path.of(System.getProperty("java.io.tmpdir"), "pgsleuth-bench");
        Files.createDirectories(cache);
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "pgsleuth %s, Java %s, %d cores, max heap %d MB, GC %s; median of %d runs after %s;%n"
                + "warm: warm-up runs; jit s: JIT compile time during a timed run;%n"
                + "peak MB: sum of the heap pools' peaks during a run; live MB: heap after a full GC at its end;%n"
                + "cpu s: CPU time of the whole process during a run (JIT and GC threads included);%n"
                + "main s: CPU time of the reading thread: the in-order work, and queued work it runs rather than wait;%n"
                + "speed-up: against the first thread count, the median of each round's ratio (a round times every%n"
                + "thread count once, one run after the other);%n"
                + "machine: what the machine gave that many threads in the same rounds: a plain loop on each thread%n"
                + "at once against one thread, in the same terms (ideal: the thread count)%n",
                Main.version(), System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20, collectors(), repeat,
                warmups < 0 ? "warm-up until the JIT compiler is quiet" : warmups + " warm-up runs");
        out.printf(Locale.ROOT, "%-10s %7s %8s %11s %5s %7s %7s %11s %7s %7s %7s %8s %8s %8s %8s%n",
                "format", "threads", "size MB", "entries", "warm", "s", "MB/s", "entries/s", "cpu s", "main s",
                "jit s", "peak MB", "live MB", "speed-up", "machine");
        out.flush();
        for (SyntheticLog.Settings s : logs) {
            Path log = cached(cache, s, out);
            time(log, s.format().cliName(), counts, warmups, out);
            if (gzip) {
                Path gz = gzipped(log, out);
                time(gz, s.format().cliName() + ".gz", counts, warmups, out);
                decompression(gz, out);
            }
        }
        return 0;
    }

    /**
     * Warms up each thread count, then times {@link #repeat} rounds, each running every thread
     * count once, one after another, and prints a row per thread count. A round's runs see the same
     * state of the machine (on a shared virtual machine its speed drifts by a third over minutes),
     * so the speed-up is the median of the rounds' own ratios.
     */
    private void time(Path log, String label, List<Integer> counts, int warmups, PrintWriter out) throws IOException {
        // MB of log text: for a .gz, what it decompresses to, so that the rows compare
        double mb = Files.size(label.endsWith(".gz") ? plain(log) : log) / (1024.0 * 1024.0);
        int[] warm = new int[counts.size()];
        for (int c = 0; c < counts.size(); c++) {
            warm[c] = warmUp(log, counts.get(c), warmups);
        }
        if (warmups < 0 && counts.size() > 1) {
            settle(log, counts, warm);
        }
        Runs[] runs = new Runs[counts.size()];
        for (int c = 0; c < counts.size(); c++) {
            runs[c] = new Runs(repeat);
        }
        MachineScaling.warmUp();
        for (int i = 0; i < repeat; i++) {
            for (int c = 0; c < counts.size(); c++) {
                runs[c].add(i, analyze(log, counts.get(c)));
                runs[c].machine[i] = MachineScaling.of(counts.get(c));
            }
        }
        for (int c = 0; c < counts.size(); c++) {
            Runs r = runs[c];
            double median = median(r.seconds);
            out.printf(Locale.ROOT, "%-10s %7d %8.1f %,11d %5d %7.2f %7.1f %,11.0f %7.2f %7.2f %7.2f %8d %8d %8.2f %8.2f%n",
                    label, counts.get(c), mb, r.entries, warm[c], median, mb / median, r.entries / median,
                    median(r.cpu), median(r.main), median(r.jit), r.peak >> 20, r.live >> 20,
                    medianOfRatios(runs[0].seconds, r.seconds), medianOfRatios(r.machine, runs[0].machine));
        }
        out.flush();
    }

    /** Untimed runs of {@code log} on {@code threads} threads ({@code warmups}, or -1 for auto); returns how many. */
    private static int warmUp(Path log, int threads, int warmups) {
        int warm = 0;
        int quiet = 0;
        while (warmups < 0 ? warm < MAX_WARMUP && quiet < 2 : warm < warmups) {
            Timing r = analyze(log, threads);
            warm++;
            // two quiet runs in a row: after one, the compiler often had more to do
            quiet = r.compilerQuiet() ? quiet + 1 : 0;
        }
        return warm;
    }

    /**
     * Rounds like the timed ones, every thread count once, until one passes with the compiler
     * quiet in every run (at most {@link #MAX_SETTLING_ROUNDS}), counted in {@code warm}: the timed
     * rounds alternate the thread counts, and a run of one count can send the compiler back to
     * code the other count's runs profiled differently.
     */
    private static void settle(Path log, List<Integer> counts, int[] warm) {
        for (int round = 0; round < MAX_SETTLING_ROUNDS; round++) {
            boolean quiet = true;
            for (int c = 0; c < counts.size(); c++) {
                quiet &= analyze(log, counts.get(c)).compilerQuiet();
                warm[c]++;
            }
            if (quiet) {
                return;
            }
        }
    }

    /** The timed runs of one thread count. */
    private static final class Runs {
        final double[] seconds;
        final double[] cpu;
        final double[] main;
        final double[] jit;
        /** What the machine gave this many threads in each round ({@link MachineScaling}). */
        final double[] machine;
        long entries;
        long peak;
        long live;

        Runs(int n) {
            seconds = new double[n];
            cpu = new double[n];
            main = new double[n];
            jit = new double[n];
            machine = new double[n];
        }

        void add(int i, Timing r) {
            seconds[i] = r.seconds;
            cpu[i] = r.cpuSeconds;
            main[i] = r.mainCpuSeconds;
            jit[i] = r.jitSeconds;
            entries = r.entries;
            peak = Math.max(peak, r.peakHeapBytes);
            live = Math.max(live, r.liveHeapBytes);
        }
    }

    /** The median of the rounds' own ratios {@code over[i] / under[i]}. */
    private static double medianOfRatios(double[] over, double[] under) {
        double[] ratios = new double[over.length];
        for (int i = 0; i < over.length; i++) {
            ratios[i] = over[i] / under[i];
        }
        return median(ratios);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /**
     * Times the decompressor alone ({@code java.util.zip}, the zlib that {@code gzip -dc} uses too)
     * against pgsleuth's reading of the same file without parsing (decompression on its own thread,
     * lines cut), and prints both.
     */
    private void decompression(Path gz, PrintWriter out) throws IOException {
        double[] alone = new double[repeat];
        double[] reading = new double[repeat];
        byte[] buf = new byte[1 << 16];
        for (int i = -1; i < repeat; i++) {
            long start = System.nanoTime();
            try (InputStream in = new GZIPInputStream(Files.newInputStream(gz), 1 << 16)) {
                while (in.read(buf) >= 0) {
                    // the decompressor's own time
                }
            }
            long middle = System.nanoTime();
            long lines = countLines(LogInput.of(gz));
            long end = System.nanoTime();
            if (i >= 0) {
                alone[i] = (middle - start) / 1e9;
                reading[i] = (end - middle) / 1e9;
            }
            if (lines <= 0) {
                throw new IllegalStateException("no lines read from " + gz);
            }
        }
        double a = median(alone);
        double r = median(reading);
        out.printf(Locale.ROOT, "%s: decompressor alone %.2f s; pgsleuth reading it (lines counted, no parsing) %.2f s, %+.0f%%%n",
                gz.getFileName(), a, r, 100 * (r / a - 1));
        out.flush();
    }

    /**
     * Reads {@code input} as analyze does (decompressing on a read-ahead thread) and counts its
     * lines, a byte at a time: slower than the readers' newline search, so the time is an upper bound.
     */
    private static long countLines(LogInput input) throws IOException {
        long lines = 0;
        byte[] buf = new byte[1 << 20];
        try (InputStream in = input.open()) {
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                for (int i = 0; i < n; i++) {
                    lines += buf[i] == '\n' ? 1 : 0;
                }
            }
        }
        return lines;
    }

    /** {@code log} compressed beside itself (default level, as {@code gzip}), made once. */
    private static Path gzipped(Path log, PrintWriter out) throws IOException {
        Path gz = Path.of(log + ".gz");
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        out.printf(Locale.ROOT, "(compressing %s)%n", log);
        out.flush();
        Path partial = Files.createTempFile(log.getParent(), "partial-", ".gz");
        try {
            try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(partial), 1 << 16)) {
                Files.copy(log, o);
            }
            Files.move(partial, gz, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
        return gz;
    }

    private static Path plain(Path gz) {
        String name = gz.getFileName().toString();
        return gz.resolveSibling(name.substring(0, name.length() - ".gz".length()));
    }

    /** {@code --warmup} as a number of runs, or -1 for {@code auto}. */
    private int warmupRuns() {
        if (warmup.equalsIgnoreCase("auto")) {
            return -1;
        }
        try {
            int n = Integer.parseInt(warmup.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ParameterException(spec.commandLine(), "--warmup must be auto or a number at least 0: " + warmup);
    }

    /** The log for {@code s}, generated into the cache unless a complete copy is there. */
    private static Path cached(Path cache, SyntheticLog.Settings s, PrintWriter out) throws IOException {
        Path log = cache.resolve(String.format(Locale.ROOT, "synthetic-%s-%d-%d-%d.log", s.format().cliName(),
                s.targetBytes(), s.shapes(), s.seed()));
        if (Files.isRegularFile(log)) {
            return log;
        }
        // written aside and moved, so that an interrupted run never leaves a partial log behind
        Path partial = Files.createTempFile(cache, "partial-", ".log");
        try {
            out.printf(Locale.ROOT, "(generating %s)%n", log);
            out.flush();
            SyntheticLog.write(s, partial);
            Files.move(partial, log, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
        return log;
    }

    /** Time the JIT compiler threads have spent compiling, or 0 where the JVM does not say. */
    private static long jitMillis() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
    }

    /** CPU time of the whole process, which on a busy machine says more than wall time. */
    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    private record Timing(double seconds, double cpuSeconds, double mainCpuSeconds, double jitSeconds, long entries,
            long peakHeapBytes, long liveHeapBytes) {
        /** Whether the JIT compiler worked for less than {@link #SETTLED_JIT_SHARE} of the run: a warm run. */
        boolean compilerQuiet() {
            return jitSeconds < SETTLED_JIT_SHARE * seconds;
        }
    }

    /** One analysis as {@code analyze --format json -o /dev/null} does it: the report is written and thrown away. */
    private static Timing analyze(Path log, int threads) {
        System.gc();
        List<MemoryPoolMXBean> heap = new ArrayList<>();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.isValid()) {
                pool.resetPeakUsage();
                heap.add(pool);
            }
        }
        long cpuStart = processCpuNanos();
        long mainStart = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        long jitStart = jitMillis();
        long start = System.nanoTime();
        Analysis analysis = new Analysis(AnalysisSettings.defaults(), threads);
        analysis.readAll(List.of(LogInput.of(log)));
        Report report = analysis.finish(new ReportBuilder(Main.version()));
        long written = writeReport(report, threads);
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpu = (processCpuNanos() - cpuStart) / 1e9;
        double mainCpu = (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - mainStart) / 1e9;
        double jit = (jitMillis() - jitStart) / 1e3;
        long peak = 0;
        for (MemoryPoolMXBean pool : heap) {
            peak += pool.getPeakUsage().getUsed();
        }
        // what the analysis still holds at its end: the state that grows with shapes and sessions
        System.gc();
        long live = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        if (written == 0 || analysis.entries() < 0) {
            throw new IllegalStateException("empty report");
        }
        return new Timing(seconds, cpu, mainCpu, jit, analysis.entries(), peak, live);
    }

    /** Writes the report as {@code analyze} writes it to a file (buffered UTF-8 bytes); returns the bytes written. */
    private static long writeReport(Report report, int threads) {
        long[] bytes = {0};
        OutputStream sink = new OutputStream() {
            @Override
            public void write(int b) {
                bytes[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                bytes[0] += len;
            }
        };
        try (OutputStream out = new BufferedOutputStream(sink, 1 << 16)) {
            new JsonReportWriter(true, true, threads).write(report, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes[0];
    }

    /** The garbage collector in use: it changes the figures by a third or more (see README). */
    private static String collectors() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName)
                .collect(Collectors.joining("+"));
    }
}
