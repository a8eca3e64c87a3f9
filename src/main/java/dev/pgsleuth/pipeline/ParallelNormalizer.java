package dev.pgsleuth.pipeline;

import dev.pgsleuth.model.LogEntry;
import dev.pgsleuth.model.NormalizedStatement;
import dev.pgsleuth.model.QueryShape;
import dev.pgsleuth.normalize.Normalizer;
import dev.pgsleuth.normalize.SqlNormalizer;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;

/**
 * Moves the costly pure work of the stages, normalizing each statement and parsing each new
 * shape with JSQLParser, onto worker threads, while the stateful stages still see every entry
 * on one thread and in input order. Entries are collected in batches; each batch is normalized
 * (and its new shapes parsed) by a worker; finished batches are handed on strictly in the order
 * they were made. Which text of a fingerprint seeds the shape cache is decided there too, so the
 * report is the same as a single thread's.
 *
 * <p>Also the {@link Normalizer} of the downstream stages: it answers from the batch being
 * handed on, and parses only what the workers did not.
 */
final class ParallelNormalizer implements Normalizer, AutoCloseable {
    private static final int BATCH = 1024;

    private final SqlNormalizer normalizer;
    private final BiConsumer<LogEntry, NormalizedStatement> downstream;
    private final ExecutorService workers;
    private final int maxInFlight;
    private final ArrayDeque<Future<Batch>> inFlight = new ArrayDeque<>();
    private LogEntry[] entries = new LogEntry[BATCH];
    private int size;
    /** Shapes the workers parsed for the batch being handed on, by statement identity. */
    private Map<NormalizedStatement, QueryShape> parsed = Map.of();

    ParallelNormalizer(SqlNormalizer normalizer, int threads, BiConsumer<LogEntry, NormalizedStatement> downstream) {
        this.normalizer = normalizer;
        this.downstream = downstream;
        this.maxInFlight = 4 * threads;
        this.workers = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "pgsleuth-normalizer");
            t.setDaemon(true);
            return t;
        });
    }

    /** Takes the next entry; it reaches the downstream stages later, in order. */
    void add(LogEntry entry) {
        entries[size++] = entry;
        if (size == BATCH) {
            submit();
        }
        handOnFinished(false);
    }

    /** Hands on everything still in flight. */
    void flush() {
        if (size > 0) {
            submit();
        }
        handOnFinished(true);
    }

    private void submit() {
        LogEntry[] batch = entries;
        int n = size;
        entries = new LogEntry[BATCH];
        size = 0;
        inFlight.addLast(workers.submit(() -> normalize(batch, n)));
    }

    private void handOnFinished(boolean all) {
        while (!inFlight.isEmpty() && (all || inFlight.size() > maxInFlight || inFlight.peekFirst().isDone())) {
            Batch b;
            try {
                b = inFlight.pollFirst().get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while normalizing", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                if (e.getCause() instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(e.getCause());
            }
            parsed = b.parsed;
            for (int i = 0; i < b.size; i++) {
                downstream.accept(b.entries[i], b.normalized[i]);
            }
            parsed = Map.of();
        }
    }

    private record Batch(LogEntry[] entries, int size, NormalizedStatement[] normalized,
                         Map<NormalizedStatement, QueryShape> parsed) {
    }

    /** Runs on a worker: the pure part of the stages' work for one batch. */
    private Batch normalize(LogEntry[] batch, int n) {
        NormalizedStatement[] out = new NormalizedStatement[n];
        Map<NormalizedStatement, QueryShape> shapes = new IdentityHashMap<>();
        Map<String, QueryShape> byText = new HashMap<>();
        for (int i = 0; i < n; i++) {
            LogEntry e = batch[i];
            if (e.statement() == null) {
                continue;
            }
            NormalizedStatement ns = normalizer.normalize(e.statement());
            out[i] = ns;
            // a shape not cached yet is parsed here, off the ordered thread
            if (e.phase() != null && normalizer.cachedShape(ns) == null) {
                shapes.put(ns, byText.computeIfAbsent(ns.text(), t -> normalizer.parseShape(ns)));
            }
        }
        return new Batch(batch, n, out, shapes);
    }

    @Override
    public NormalizedStatement normalize(String sql) {
        return normalizer.normalize(sql);
    }

    @Override
    public QueryShape shape(NormalizedStatement statement) {
        QueryShape ahead = parsed.get(statement);
        return ahead != null ? normalizer.shape(statement, ahead) : normalizer.shape(statement);
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
