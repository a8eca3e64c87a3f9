package dev.pgsleuth.parse;

import dev.pgsleuth.bench.SyntheticLog;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The per-line work of a stderr worker, line by line over the benchmark's synthetic log: the
 * {@code log_line_prefix} alone ({@link #prefix}), and the whole line as a worker parses it
 * (prefix, message, statement form, bind values: {@link #line}). Average time per line.
 * Run: {@code mvn -q test-compile exec:exec@jmh -Djmh.args="StderrLine"}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class StderrLineBenchmark {
    /** Lines per invocation: JMH divides by it, so the figures are per line. */
    static final int LINES = 50_000;
    static final String PREFIX = "%m [%p] %q%u@%d/%a %c:%l ";

    private byte[] log;
    private int[] starts;
    private int[] ends;
    private LogLinePrefix prefix;
    private LogLinePrefix.Match match;
    private StderrLines.LineParser parser;

    @Setup
    public void setUp() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SyntheticLog.write(new SyntheticLog.Settings(LogFormat.STDERR, 16 << 20, 3_000, 1), out);
        log = out.toByteArray();
        List<int[]> lines = new ArrayList<>();
        // from the middle of the log: connections are open, the caches in use
        int s = log.length / 2;
        while (log[s - 1] != '\n') {
            s++;
        }
        for (int i = s; i < log.length && lines.size() < LINES; i++) {
            if (log[i] == '\n') {
                lines.add(new int[] {s, i});
                s = i + 1;
            }
        }
        starts = lines.stream().mapToInt(l -> l[0]).toArray();
        ends = lines.stream().mapToInt(l -> l[1]).toArray();
        prefix = LogLinePrefix.compile(PREFIX);
        match = new LogLinePrefix.Match();
        parser = new StderrLines.LineParser(LogLinePrefix.compile(PREFIX));
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public int prefix() {
        int matched = 0;
        for (int i = 0; i < starts.length; i++) {
            matched += prefix.match(log, starts[i], ends[i], match) ? 1 : 0;
        }
        return matched;
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public int line() {
        int kinds = 0;
        for (int i = 0; i < starts.length; i++) {
            kinds += parser.parse(log, starts[i], ends[i], false, null, -1, null);
        }
        return kinds;
    }
}
