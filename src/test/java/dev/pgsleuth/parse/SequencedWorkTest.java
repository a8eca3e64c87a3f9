package dev.pgsleuth.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SequencedWorkTest {
    private final ExecutorService workers = Executors.newFixedThreadPool(3);

    @AfterEach
    void stop() {
        workers.shutdownNow();
    }

    /**
     * Tasks of random length on three workers: the sink sees every result once, in the order
     * given, never two calls at once, and (plain fields, no locks) each call sees what the one
     * before it wrote.
     */
    @Test
    void theSinkSeesResultsInOrderOneAtATime() {
        int n = 20_000;
        List<Integer> seen = new ArrayList<>();
        AtomicInteger inSink = new AtomicInteger();
        int[] overlaps = {0};
        SequencedWork<Integer> work = new SequencedWork<>(workers, 16, r -> {
            if (inSink.incrementAndGet() != 1) {
                overlaps[0]++;
            }
            seen.add(r);
            inSink.decrementAndGet();
        });
        Random random = new Random(7);
        for (int i = 0; i < n; i++) {
            int v = i;
            long pause = random.nextInt(4) == 0 ? random.nextInt(20_000) : 0;
            work.submit(() -> {
                LockSupport.parkNanos(pause);
                return v;
            });
        }
        work.finish();
        assertEquals(0, overlaps[0]);
        assertEquals(n, seen.size());
        for (int i = 0; i < n; i++) {
            assertEquals(i, seen.get(i), "position " + i);
        }
    }

    @Test
    void noResultPassesAnEarlierOneStillRunning() throws InterruptedException {
        List<Integer> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        SequencedWork<Integer> work = new SequencedWork<>(workers, 100, seen::add);
        CountDownLatch firstMayFinish = new CountDownLatch(1);
        work.submit(() -> {
            assertTrue(firstMayFinish.await(10, TimeUnit.SECONDS));
            return 0;
        });
        for (int i = 1; i < 50; i++) {
            int v = i;
            work.submit(() -> v);
        }
        Thread.sleep(50);
        assertEquals(List.of(), seen);
        firstMayFinish.countDown();
        work.finish();
        assertEquals(50, seen.size());
        assertEquals(49, seen.get(49));
    }

    /** The sink runs off the giving thread when a worker finished the result next in order. */
    @Test
    void theSinkRunsOnTheThreadThatFinishedTheNextResult() {
        List<Thread> sinkThreads = java.util.Collections.synchronizedList(new ArrayList<>());
        SequencedWork<Integer> work = new SequencedWork<>(workers, 4, r -> sinkThreads.add(Thread.currentThread()));
        for (int i = 0; i < 200; i++) {
            int v = i;
            work.submit(() -> v);
        }
        work.finish();
        assertEquals(200, sinkThreads.size());
        assertTrue(sinkThreads.stream().anyMatch(t -> t != Thread.currentThread()), "all on the giving thread");
    }

    @Test
    void atMostMaxInFlightResultsAreOnTheirWay() {
        AtomicInteger through = new AtomicInteger();
        SequencedWork<Integer> work = new SequencedWork<>(workers, 2, r -> through.incrementAndGet());
        for (int i = 0; i < 50; i++) {
            int v = i;
            work.submit(() -> v);
            // submit returned: this task and at most one before it are not through yet
            assertTrue(i + 1 - through.get() <= 2, "on their way: " + (i + 1 - through.get()));
        }
        work.finish();
        assertEquals(50, through.get());
    }

    /**
     * The one worker is held by the first task until the two after it are done: only the giving
     * thread, running queued tasks rather than waiting, can do them (else the test times out).
     */
    @Test
    void theGivingThreadRunsQueuedTasksRatherThanWait() {
        ExecutorService one = Executors.newFixedThreadPool(1);
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                CountDownLatch laterDone = new CountDownLatch(2);
                List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
                SequencedWork<String> work = new SequencedWork<>(one, 100, seen::add);
                work.submit(() -> {
                    laterDone.await();
                    return "first";
                });
                for (String name : List.of("second", "third")) {
                    work.submit(() -> {
                        laterDone.countDown();
                        return name;
                    });
                }
                work.finish();
                assertEquals(List.of("first", "second", "third"), seen);
            });
        } finally {
            one.shutdownNow();
        }
    }

    @Test
    void aFailingTaskFailsTheGivingThreadWithItsOwnException() {
        SequencedWork<Integer> work = new SequencedWork<>(workers, 4, r -> { });
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
            work.submit(() -> {
                throw new IllegalArgumentException("bad batch");
            });
            work.finish();
        });
        assertEquals("bad batch", e.getMessage());
    }

    /** A failing sink stops the hand-on; the giving thread gets the failure, not a hang. */
    @Test
    void aFailingSinkFailsTheGivingThread() {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            SequencedWork<Integer> work = new SequencedWork<>(workers, 2, r -> {
                if (r == 3) {
                    throw new IllegalStateException("stage broke");
                }
            });
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> {
                for (int i = 0; i < 100; i++) {
                    int v = i;
                    work.submit(() -> v);
                }
                work.finish();
            });
            assertEquals("stage broke", e.getMessage());
        });
    }
}
