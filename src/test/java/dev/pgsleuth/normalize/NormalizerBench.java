package dev.pgsleuth.normalize;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;

/**
 * Throughput of {@link SqlNormalizer#normalize} on one thread over a mix of realistic ORM and
 * hand-written statements with varying literals. Run:
 * {@code mvn -o -q test-compile && java -cp target/classes:target/test-classes:$(cat cp.txt)
 * dev.pgsleuth.normalize.NormalizerBench [seconds]} (classpath from
 * {@code mvn -o -q dependency:build-classpath -Dmdep.outputFile=cp.txt}). Prints, asserts nothing.
 */
public final class NormalizerBench {

    private static final String[] TEMPLATES = {
        "select b1_0.id,b1_0.title,b1_0.author_id from book b1_0 where b1_0.author_id=?",
        "SELECT \"app_author\".\"id\", \"app_author\".\"name\" FROM \"app_author\" WHERE \"app_author\".\"id\" = %d LIMIT 21",
        "SELECT \"authors\".* FROM \"authors\" WHERE \"authors\".\"id\" = $1 LIMIT $2",
        "UPDATE account SET balance = balance - %d, updated_at = now() WHERE id = %d",
        "INSERT INTO events (user_id, kind, payload) VALUES (%d, 'click', '{\"x\": %d}')",
        "SELECT o.id, o.total FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.country = 'FR' AND o.total > %d ORDER BY o.created_at DESC LIMIT 50",
        "SELECT * FROM items WHERE id IN (%d, %d, %d, 4, 5, 6)",
        "BEGIN",
        "COMMIT",
        "SELECT count(*) FROM sessions WHERE expires_at < now() - interval '%d minutes'",
    };

    private NormalizerBench() {
    }

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
        String[] corpus = new String[4096];
        long bytes = 0;
        for (int i = 0; i < corpus.length; i++) {
            String t = TEMPLATES[i % TEMPLATES.length];
            corpus[i] = String.format(t, i * 7 + 1, i * 13 + 2, i * 17 + 3);
            bytes += corpus[i].getBytes(StandardCharsets.UTF_8).length;
        }
        double avgBytes = (double) bytes / corpus.length;
        SqlNormalizer n = new SqlNormalizer();
        long sink = 0;
        for (int i = 0; i < 2_000_000; i++) {
            sink += n.normalize(corpus[i & (corpus.length - 1)]).text().length();
        }
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        long count = 0;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long cpuBegin = mx.getCurrentThreadCpuTime();
        long begin = System.nanoTime();
        while (System.nanoTime() < deadline) {
            for (int i = 0; i < 10_000; i++) {
                sink += n.normalize(corpus[(int) (count++ & (corpus.length - 1))]).fingerprint().charAt(0);
            }
        }
        double elapsed = (System.nanoTime() - begin) / 1e9;
        // CPU time of this thread: on a shared machine wall time also counts other processes' turns
        double cpu = (mx.getCurrentThreadCpuTime() - cpuBegin) / 1e9;
        System.out.printf("normalize (wall): %,.0f statements/s, %.1f MB/s%n",
                count / elapsed, count * avgBytes / elapsed / 1e6);
        System.out.printf("normalize (per CPU-second of this thread): %,.0f statements/s, %.1f MB/s%n",
                count / cpu, count * avgBytes / cpu / 1e6);
        System.out.printf("(avg %.0f bytes/statement, %d templates, %,d statements, sink %d)%n",
                avgBytes, TEMPLATES.length, count, sink & 1);
    }
}
