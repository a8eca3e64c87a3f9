package dev.pgsleuth.pipeline;

import dev.pgsleuth.model.LogEntry;
import dev.pgsleuth.model.NormalizedStatement;
import dev.pgsleuth.normalize.SqlNormalizer;
import dev.pgsleuth.parse.SequencedWork;
import java.util.concurrent.ExecutorService;
import java.util.function.BiConsumer;

/**
 * Moves the work of the stages off the reading thread: normalizing each statement, in parallel on
 * worker threads, and the stateful stages themselves, which still see every entry one at a time
 * and in input order, but on whichever thread finished the batch next in order
 * ({@link SequencedWork}), beside the reading thread's own in-order work (joining lines into
 * entries and statements). Entries are collected in batches; each batch is normalized by a
 * worker; finished batches are handed on strictly in the order they were made. Shapes and
 * outlines are computed in the stages, in that order, so which text of a fingerprint seeds their
 * caches is the same as with a single thread.
 */
final class ParallelNormalizer {
    private static final int BATCH = 1024;
    /**
     * Batches given and not yet through the stages: one per 16 MB of heap (a batch holds well under
     * a MB), 8 to 64. Deep for the reason blocks are read far ahead ({@code LineBlocks.AHEAD}): a
     * reading thread that waits for room runs queued work the workers would have done.
     */
    private static final int IN_FLIGHT = (int) Math.max(8, Math.min(64, Runtime.getRuntime().maxMemory() / (16 << 20)));

    private final SqlNormalizer normalizer;
    private final SequencedWork<Batch> batches;
    private LogEntry[] entries = new LogEntry[BATCH];
    private int size;

    /** Normalizes on {@code workers}, which it shares with the readers and does not shut down. */
    ParallelNormalizer(SqlNormalizer normalizer, ExecutorService workers,
            BiConsumer<LogEntry, NormalizedStatement> downstream) {
        this.normalizer = normalizer;
        this.batches = new SequencedWork<>(workers, IN_FLIGHT, b -> {
            for (int i = 0; i < b.size; i++) {
                downstream.accept(b.entries[i], b.normalized[i]);
            }
        });
    }

    /** Takes the next entry; it reaches the downstream stages later, in order. */
    void add(LogEntry entry) {
        entries[size++] = entry;
        if (size == BATCH) {
            submit();
        }
    }

    /** Hands on everything still in flight, and returns once the stages have seen it all. */
    void flush() {
        if (size > 0) {
            submit();
        }
        batches.finish();
    }

    private void submit() {
        LogEntry[] batch = entries;
        int n = size;
        entries = new LogEntry[BATCH];
        size = 0;
        batches.submit(() -> normalize(batch, n));
    }

    private record Batch(LogEntry[] entries, int size, NormalizedStatement[] normalized) {
    }

    /** Runs on a worker: the pure part of the stages' work for one batch. */
    private Batch normalize(LogEntry[] batch, int n) {
        NormalizedStatement[] out = new NormalizedStatement[n];
        // the thread's buffers looked up once for the batch, not once per statement
        SqlNormalizer.ThreadNormalizer here = normalizer.onThisThread();
        for (int i = 0; i < n; i++) {
            LogEntry e = batch[i];
            if (e.statement() != null) {
                out[i] = here.normalize(e.statement());
            }
        }
        return new Batch(batch, n, out);
    }
}
