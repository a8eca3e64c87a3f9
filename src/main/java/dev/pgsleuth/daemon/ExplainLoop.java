package dev.pgsleuth.daemon;

import dev.pgsleuth.explain.Explainer;
import dev.pgsleuth.pipeline.ExplainStage;
import java.io.Closeable;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the EXPLAIN stage for a {@link Watcher} every interval on its own thread, on the shapes
 * read so far: reading the log never waits for the database, and a database that is down only
 * makes the rounds come back empty (the {@link Explainer} backs off) while the analysis goes on.
 *
 * <p>The explainer given should limit each fingerprint to one run per interval (see
 * {@link dev.pgsleuth.explain.ExplainOptions#withRateLimits}); rounds start at least one interval
 * after the previous one ended, so a costly shape is explained again once per interval, and a
 * plan that changed (a new index, new statistics) shows up. The explainer is used only by this
 * loop's thread, and closed with it.
 */
public final class ExplainLoop implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(ExplainLoop.class);

    private final Watcher watcher;
    private final Explainer explainer;
    private final ExplainStage stage;
    private final Duration interval;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pgsleuth-explain");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param database the database as it may be shown (no password)
     */
    public ExplainLoop(Watcher watcher, Explainer explainer, ExplainStage stage, Duration interval, String database) {
        if (interval.toMillis() < 1) {
            throw new IllegalArgumentException("the explain interval must be at least 1 ms");
        }
        this.watcher = watcher;
        this.explainer = explainer;
        this.stage = stage;
        this.interval = interval;
        watcher.explainingOn(database);
    }

    /** Starts the rounds; the first one an interval from now, once there is something read. */
    public void start() {
        thread.scheduleWithFixedDelay(this::round, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One round: copies the shapes under the watcher's lock, explains them without it. */
    void round() {
        try {
            Watcher.ExplainInput input = watcher.explainInput();
            watcher.explained(stage.run(input.shapes(), input.detected()));
        } catch (RuntimeException e) {
            // a failing round must not end the schedule: the next one tries again
            LOG.warn("EXPLAIN round failed: {}", e.toString());
        }
    }

    /** Stops the rounds (waiting a little for one under way) and closes the database connection. */
    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            explainer.close();
        }
    }
}
