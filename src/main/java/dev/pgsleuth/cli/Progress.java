package dev.pgsleuth.cli;

import dev.pgsleuth.source.LogInput;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * The progress line on stderr while large inputs are read: bytes as stored, percent of the
 * total, and speed; redrawn in place at most twice a second, cleared at the end. Only on a
 * terminal, and only when there is enough input for waiting to be noticeable.
 */
final class Progress {
    /** Below this many bytes in all, a run is over before a progress line would help. */
    static final long MIN_BYTES = 64L << 20;
    private static final long REDRAW_NANOS = 500_000_000L;

    private final PrintWriter err;
    private final long total;
    private final long start = System.nanoTime();
    private long done;
    private long lastDraw;

    private Progress(PrintWriter err, long total) {
        this.err = err;
        this.total = total;
    }

    /** A progress line for these inputs, or {@code null} when none should be shown. */
    static Progress forInputs(List<LogInput> inputs, PrintWriter err, boolean terminal) {
        long total = 0;
        for (LogInput in : inputs) {
            total += Math.max(0, in.size());
        }
        return terminal && total >= MIN_BYTES ? new Progress(err, total) : null;
    }

    /** The input, reporting its reads to this line. */
    LogInput track(LogInput input) {
        return input.observed(this::advance);
    }

    private void advance(long bytes) {
        done += bytes;
        long now = System.nanoTime();
        if (now - lastDraw >= REDRAW_NANOS) {
            lastDraw = now;
            double seconds = Math.max(1e-9, (now - start) / 1e9);
            err.printf(Locale.ROOT, "\rreading: %,d of %,d MB (%d%%), %.0f MB/s   ",
                    done >> 20, total >> 20, total == 0 ? 0 : done * 100 / total, done / 1e6 / seconds);
            err.flush();
        }
    }

    /** Clears the line. */
    void finish() {
        err.print("\r" + " ".repeat(60) + "\r");
        err.flush();
    }
}
