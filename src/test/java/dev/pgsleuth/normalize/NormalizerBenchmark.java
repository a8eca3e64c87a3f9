package dev.pgsleuth.normalize;

import dev.pgsleuth.bench.SyntheticLog;
import dev.pgsleuth.model.LogEntry;
import dev.pgsleuth.parse.LogFormat;
import dev.pgsleuth.parse.LogParser;
import dev.pgsleuth.parse.ParseOptions;
import dev.pgsleuth.source.LogInput;
import java.io.ByteArrayInputStream;
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
 * Normalization of the statements of the benchmark's synthetic log, in log order: as the
 * pipeline meets them ({@link #inLogOrder}: repeats answered from the memo), and each one new to
 * a fresh normalizer ({@link #firstSight}: lexer, fingerprint and {@code $n} text every time).
 * Average time per statement. Run: {@code mvn -q test-compile exec:exec@jmh -Djmh.args="Normalizer"}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class NormalizerBenchmark {
    static final int STATEMENTS = 20_000;

    private String[] statements;
    private SqlNormalizer warm;

    @Setup
    public void setUp() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SyntheticLog.write(new SyntheticLog.Settings(LogFormat.STDERR, 16 << 20, 3_000, 1), out);
        byte[] log = out.toByteArray();
        List<String> found = new ArrayList<>();
        new LogParser().read(LogInput.of("synthetic", () -> new ByteArrayInputStream(log)),
                new ParseOptions(LogFormat.STDERR, null), b -> {
                    LogEntry e = b.build();
                    if (e.statement() != null) {
                        found.add(e.statement());
                    }
                });
        // the second half: the shapes of the first half are known, as in a long log
        statements = found.subList(found.size() - STATEMENTS, found.size()).toArray(String[]::new);
        warm = new SqlNormalizer();
        for (String s : found) {
            warm.normalize(s);
        }
    }

    @Benchmark
    @OperationsPerInvocation(STATEMENTS)
    public int inLogOrder() {
        int n = 0;
        for (String s : statements) {
            n += warm.normalize(s).text().length();
        }
        return n;
    }

    @Benchmark
    @OperationsPerInvocation(STATEMENTS)
    public int firstSight() {
        SqlNormalizer fresh = new SqlNormalizer();
        int n = 0;
        for (String s : statements) {
            n += fresh.normalize(s).text().length();
        }
        return n;
    }
}
