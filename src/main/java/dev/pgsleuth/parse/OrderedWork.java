package dev.pgsleuth.parse;

import java.util.ArrayDeque;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.function.Consumer;

/**
 * Runs tasks on worker threads and hands their results to a sink in the order the tasks were
 * given, on the thread that gives them: the pure work of a stage runs in parallel while the stages
 * after it still see everything in input order. At most {@code maxInFlight} results wait, which
 * bounds the memory they hold. Where it would wait, the giving thread runs queued tasks itself,
 * so that N threads of work need N - 1 workers (see {@code Analysis}). Not thread-safe: one
 * giving thread.
 *
 * @param <T> the result of one task
 */
public final class OrderedWork<T> {
    private final ExecutorService workers;
    private final int maxInFlight;
    private final Consumer<T> sink;
    private final ArrayDeque<Future<T>> inFlight = new ArrayDeque<>();

    public OrderedWork(ExecutorService workers, int maxInFlight, Consumer<T> sink) {
        this.workers = workers;
        this.maxInFlight = maxInFlight;
        this.sink = sink;
    }

    /** Starts {@code task}; hands on the results that are ready (waiting when too many are). */
    public void submit(Callable<T> task) {
        inFlight.addLast(workers.submit(task));
        handOnReady();
    }

    /** Queues a result computed already, behind those still running. */
    public void add(T result) {
        inFlight.addLast(CompletableFuture.completedFuture(result));
        handOnReady();
    }

    /** Hands on every result, waiting for the tasks still running. */
    public void finish() {
        while (!inFlight.isEmpty()) {
            sink.accept(next());
        }
    }

    /** Drops the tasks not handed on; for a run that ends early. */
    public void cancel() {
        for (Future<T> f : inFlight) {
            f.cancel(true);
        }
        inFlight.clear();
    }

    private void handOnReady() {
        while (!inFlight.isEmpty() && (inFlight.size() > maxInFlight || inFlight.peekFirst().isDone())) {
            sink.accept(next());
        }
    }

    /**
     * Runs one task still queued on {@code workers} (not yet taken by a worker) on this thread.
     *
     * @return whether there was one
     */
    static boolean runQueued(ExecutorService workers) {
        if (workers instanceof ThreadPoolExecutor pool) {
            Runnable queued = pool.getQueue().poll();
            if (queued != null) {
                queued.run();
                return true;
            }
        }
        return false;
    }

    private T next() {
        Future<T> oldest = inFlight.pollFirst();
        // the giving thread counts as one of the threads: rather than wait for the oldest result,
        // it runs the tasks still queued (the oldest first, when no worker took it yet)
        while (!oldest.isDone() && runQueued(workers)) {
            // ran one
        }
        try {
            return oldest.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a worker", e);
        } catch (ExecutionException e) {
            throw asThrown(e.getCause());
        }
    }

    /**
     * What the giving thread throws for a task's {@code failure}: a RuntimeException as the task
     * threw it, an Error thrown here as it is, anything else wrapped.
     */
    static RuntimeException asThrown(Throwable failure) {
        if (failure instanceof RuntimeException re) {
            return re;
        }
        if (failure instanceof Error err) {
            throw err;
        }
        return new IllegalStateException(failure);
    }
}
