package dev.pgsleuth.cli;

import java.util.concurrent.CountDownLatch;

/**
 * How much work per second this machine gives N threads at this moment, against one thread: a
 * plain loop (arithmetic and stores on a small array of its own: no shared data, no allocation, no
 * I/O) runs on one thread, then on N threads at once. It measures the cores only: memory and the
 * shared cache, which a neighbour on the host may also be using, are not in it. On a virtual machine that shares its host,
 * two threads may get far less than two cores for minutes at a time; {@code bench run} prints this
 * beside the analysis's own speed-up, measured in the same rounds, so that the two can be told apart.
 */
final class MachineScaling {
    /** Iterations of one thread's loop: about 75 ms on the development machine. */
    private static final int ITERATIONS = 32_000_000;
    /** Keeps the loops' results, so that the compiler cannot drop them. */
    private static volatile long sink;

    private MachineScaling() {
    }

    /** Runs the loop once untimed, so that the first measurement times compiled code. */
    static void warmUp() {
        sink += loop(ITERATIONS);
    }

    /** {@code threads} times the time of one loop on one thread, over the time of a loop on each of {@code threads} threads at once. */
    static double of(int threads) {
        if (threads == 1) {
            return 1.0;
        }
        long one = timeLoops(1);
        long all = timeLoops(threads);
        return threads * (double) one / all;
    }

    private static long timeLoops(int threads) {
        CountDownLatch start = new CountDownLatch(1);
        Thread[] running = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            running[t] = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                long r = loop(ITERATIONS);
                synchronized (MachineScaling.class) {
                    sink += r;
                }
            }, "pgsleuth-bench-loop");
            running[t].start();
        }
        long begin = System.nanoTime();
        start.countDown();
        for (Thread t : running) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while timing the machine", e);
            }
        }
        return System.nanoTime() - begin;
    }

    /** Pseudo-random stores into 16 KB, which stays in the core's own cache. */
    private static long loop(int iterations) {
        int[] table = new int[4096];
        long x = 88_172_645_463_325_252L;
        for (int i = 0; i < iterations; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            table[(int) x & 4095] += (int) x;
        }
        return x + table[(int) (x >>> 52)];
    }
}
