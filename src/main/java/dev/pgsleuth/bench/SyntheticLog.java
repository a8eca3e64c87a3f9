package dev.pgsleuth.bench;

import dev.pgsleuth.parse.LogFormat;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Writes a realistic PostgreSQL 17 server log of a chosen size, deterministically: the same
 * settings give the same bytes, on any machine. The log is what the benchmark times
 * {@code analyze} on, so it has the forms of real logs ({@code sample-logs/}): many interleaved
 * sessions with connection and disconnection lines, a pgbench TPC-B workload in extended protocol
 * ({@code parse}/{@code bind}/{@code execute} with {@code DETAIL:  Parameters: …}), Hibernate-style
 * selects of 10–30 columns with pgjdbc's switch to named statements, multi-line reports, N+1
 * loops, errors with STATEMENT lines, lock waits, temporary files, checkpoints and autovacuum.
 *
 * <p>Memory stays constant whatever the size; output is streamed.
 */
public final class SyntheticLog {

    /** 3,000 distinct shapes: a typical application with an ORM. */
    public static final int DEFAULT_SHAPES = 3000;

    /**
     * What to write.
     *
     * @param format      {@link LogFormat#STDERR} (prefix {@code '%m [%p] %q%u@%d/%a %c:%l '}),
     *                    {@link LogFormat#CSVLOG} or {@link LogFormat#JSONLOG}
     * @param targetBytes the size to reach: open transactions and N+1 loops are finished and the
     *                    sessions disconnected so that the log ends within 1% of it (from 1 MB up)
     * @param shapes      distinct statement shapes to use (at least 128)
     * @param seed        the seed; the same settings give the same bytes
     */
    public record Settings(LogFormat format, long targetBytes, int shapes, long seed) {
        public Settings {
            Objects.requireNonNull(format, "format");
            if (format != LogFormat.STDERR && format != LogFormat.CSVLOG && format != LogFormat.JSONLOG) {
                throw new IllegalArgumentException("synthetic logs are stderr, csvlog or jsonlog, not " + format.cliName());
            }
            if (targetBytes <= 0) {
                throw new IllegalArgumentException("size must be positive: " + targetBytes);
            }
            if (shapes < minShapes() || shapes > maxShapes()) {
                throw new IllegalArgumentException("shapes must be between " + minShapes() + " and " + maxShapes()
                        + ": " + shapes);
            }
        }

        /** The fewest shapes the workload can run with. */
        public static int minShapes() {
            return ShapeCatalog.FIXED + 2 * ShapeCatalog.TABLES.length * ShapeCatalog.Family.values().length;
        }

        /** The most shapes the catalog can tell apart. */
        public static int maxShapes() {
            return ShapeCatalog.CAPACITY;
        }
    }

    private SyntheticLog() {
    }

    /** Writes the log to {@code out} (not closed) and says what it wrote. */
    public static Summary write(Settings settings, OutputStream out) throws IOException {
        return new Workload(settings, out).run();
    }

    /** Writes the log to {@code file}, replacing it. */
    public static Summary write(Settings settings, Path file) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            return write(settings, out);
        }
    }
}
