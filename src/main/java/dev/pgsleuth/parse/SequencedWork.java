package dev.pgsleuth.parse;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

/**
 * Runs tasks on worker threads and hands their results to a sink in the order the tasks were
 * given, like {@link OrderedWork}, but the sink runs on whichever thread finished the result that
 * is next in order, one result at a time: the giving thread does not do the sink's work, so a
 * costly in-order stage runs beside the giving thread's own in-order work instead of after it.
 * Each call of the sink happens-after the previous one, so the sink needs no locking of its own.
 * At most {@code maxInFlight} tasks are given and not yet through the sink, which bounds the
 * memory they hold; where the giving thread would wait for room, it runs queued tasks itself (as
 * {@link OrderedWork} does). Not thread-safe: one giving thread.
 *
 * @param <T> the result of one task
 */
public final class SequencedWork<T> {
    private final ExecutorService workers;
    private final int maxInFlight;
    private final Consumer<T> sink;
    /** Results waiting for the sink, at their sequence number modulo {@code maxInFlight}. */
    private final Object[] ready;
    /** Sequence number of the next task given; only the giving thread changes it. */
    private long given;
    /** Sequence number of the next result for the sink (guarded by {@code this}). */
    private long handedOn;
    /** Whether a thread is handing results to the sink (guarded by {@code this}). */
    private boolean handing;
    /** The first failure of a task or of the sink (guarded by {@code this}). */
    private Throwable failure;

    public SequencedWork(ExecutorService workers, int maxInFlight, Consumer<T> sink) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1: " + maxInFlight);
        }
        this.workers = workers;
        this.maxInFlight = maxInFlight;
        this.sink = sink;
        this.ready = new Object[maxInFlight];
    }

    /**
     * Starts {@code task}, once fewer than {@code maxInFlight} results are on their way to the sink.
     *
     * @throws RuntimeException the failure of an earlier task or of the sink, as thrown
     */
    public void submit(Callable<T> task) {
        awaitInFlightBelow(maxInFlight);
        long seq = given++;
        workers.execute(() -> run(seq, task));
    }

    /**
     * Waits until every result given went through the sink, running queued tasks meanwhile.
     *
     * @throws RuntimeException the failure of a task or of the sink, as thrown
     */
    public void finish() {
        awaitInFlightBelow(1);
    }

    private void awaitInFlightBelow(int limit) {
        while (true) {
            synchronized (this) {
                if (failure != null) {
                    throw OrderedWork.asThrown(failure);
                }
                if (given - handedOn < limit) {
                    return;
                }
            }
            if (!OrderedWork.runQueued(workers)) {
                // nothing left to help with: only the giving thread queues tasks, so none will come
                synchronized (this) {
                    while (failure == null && given - handedOn >= limit) {
                        try {
                            wait();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IllegalStateException("interrupted while waiting for a worker", e);
                        }
                    }
                }
            }
        }
    }

    /** Runs on a worker (or the giving thread): one task, then the sink while results are next in order. */
    private void run(long seq, Callable<T> task) {
        T result;
        try {
            result = task.call();
            if (result == null) {
                // a free slot is how a result not ready yet looks
                throw new NullPointerException("a task returned null");
            }
        } catch (Throwable t) {
            fail(t);
            return;
        }
        Object next;
        synchronized (this) {
            ready[slot(seq)] = result;
            if (handing || failure != null) {
                // the thread handing on will reach this result
                return;
            }
            next = takeNext();
            handing = next != null;
        }
        while (next != null) {
            try {
                @SuppressWarnings("unchecked")
                T t = (T) next;
                sink.accept(t);
            } catch (Throwable t) {
                fail(t);
                return;
            }
            synchronized (this) {
                handedOn++;
                notifyAll();
                next = failure == null ? takeNext() : null;
                handing = next != null;
            }
        }
    }

    /** The result next in order, taken from its slot, or {@code null} when not ready yet. */
    private Object takeNext() {
        int slot = slot(handedOn);
        Object next = ready[slot];
        ready[slot] = null;
        return next;
    }

    private int slot(long seq) {
        return (int) (seq % maxInFlight);
    }

    private synchronized void fail(Throwable t) {
        if (failure == null) {
            failure = t;
        }
        notifyAll();
    }
}
