package dev.pgsleuth.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OrderedWorkTest {
    private final ExecutorService workers = Executors.newFixedThreadPool(3);

    @AfterEach
    void stop() {
        workers.shutdownNow();
    }

    @Test
    void resultsComeInTheOrderGivenWhateverOrderTheyFinishIn() throws InterruptedException {
        List<Integer> seen = new ArrayList<>();
        OrderedWork<Integer> work = new OrderedWork<>(workers, 100, seen::add);
        CountDownLatch firstMayFinish = new CountDownLatch(1);
        work.submit(() -> {
            assertTrue(firstMayFinish.await(10, TimeUnit.SECONDS));
            return 0;
        });
        for (int i = 1; i < 50; i++) {
            int n = i;
            work.submit(() -> n);
        }
        work.add(50);
        // the later tasks are done, but none may pass the first
        Thread.sleep(50);
        assertEquals(List.of(), seen);
        firstMayFinish.countDown();
        work.finish();
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i <= 50; i++) {
            expected.add(i);
        }
        assertEquals(expected, seen);
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
                Thread giver = Thread.currentThread();
                CountDownLatch laterDone = new CountDownLatch(2);
                List<String> seen = new ArrayList<>();
                List<Thread> ranOn = new CopyOnWriteArrayList<>();
                OrderedWork<String> work = new OrderedWork<>(one, 100, seen::add);
                work.submit(() -> {
                    laterDone.await();
                    return "first";
                });
                for (String name : List.of("second", "third")) {
                    work.submit(() -> {
                        ranOn.add(Thread.currentThread());
                        laterDone.countDown();
                        return name;
                    });
                }
                work.finish();
                assertEquals(List.of("first", "second", "third"), seen);
                assertEquals(List.of(giver, giver), ranOn);
            });
        } finally {
            one.shutdownNow();
        }
    }

    @Test
    void atMostMaxInFlightResultsWait() {
        List<Integer> seen = new ArrayList<>();
        OrderedWork<Integer> work = new OrderedWork<>(workers, 2, seen::add);
        for (int i = 0; i < 10; i++) {
            int n = i;
            work.submit(() -> n);
            assertTrue(i + 1 - seen.size() <= 2, "waiting: " + (i + 1 - seen.size()));
        }
        work.finish();
        assertEquals(10, seen.size());
    }

    /** When the task fails before {@code submit} returns, submit hands the failure on; else finish does. */
    @Test
    void aFailingTaskFailsTheGivingThreadWithItsOwnException() {
        OrderedWork<Integer> work = new OrderedWork<>(workers, 4, n -> { });
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
            work.submit(() -> {
                throw new IllegalArgumentException("bad block");
            });
            work.finish();
        });
        assertEquals("bad block", e.getMessage());
    }
}
