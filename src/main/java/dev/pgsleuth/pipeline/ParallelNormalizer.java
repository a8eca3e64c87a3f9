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
    /**
     * Entries in a batch. The stages run a batch at a time on one thread and the next batch perhaps
     * on another, where the stages' state (shape statistics, sessions) is not in the cache: a batch
     * four times larger (was 1,024) moves that state between the cores a quarter as often, 2-4%
     * sooner on two threads (paired, 80 rounds: stderr 1.042, csvlog 1.020, jsonlog 1.019).
     */
    private static final int BATCH = 4096;
    /**
     * Batches given and not yet through the stages: 16,384 entries. Few, as all of them are live
     * at a young collection, which copies them (see {@code LineBlocks.AHEAD}).
     */
    private static final int IN_FLIGHT = 4;

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
