package dev.pgsleuth.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code pgbench} client (the PostgreSQL 15 client of the machine, which works
 * against the PostgreSQL 17 server) with its built-in TPC-B-like script in extended-protocol
 * mode, and says how often the server must have executed each statement.
 *
 * <p>The count is independent of the log: pgbench's built-in {@code tpcb-like} script sends its
 * seven SQL statements ({@link #TPCB_STATEMENTS}) exactly once per transaction, and each client
 * runs exactly {@code -t} transactions, so each statement runs {@code clients × transactions}
 * times. {@link Result#transactionsProcessed()} is what pgbench itself reports ("number of
 * transactions actually processed"), which must equal that product when no transaction
 * failed. Under {@code -M extended} pgbench sends every statement with the unnamed prepared
 * statement, its {@code :variables} replaced by {@code $n}, so with
 * {@code log_min_duration_statement = 0} each execution is one stderr line
 * {@code LOG:  duration: … ms  execute <unnamed>: <statement>}, and
 * {@code grep -c 'execute <unnamed>: UPDATE pgbench_tellers'} on the log must give the same
 * number.
 *
 * <p>Steps: creates database {@code pgbench}, runs {@code pgbench -i -s 1} there, rotates the
 * server's log (so the result's files hold only the benchmark run), runs
 * {@code pgbench -M extended -c C -j 1 -t T} (which first vacuums its tables and truncates
 * {@code pgbench_history}, logged as simple {@code statement:} lines), then
 * {@link RealPostgres#awaitSessionsEnded()}, so the files hold pgbench's disconnections too.
 * Run it once per server. {@code -t 200} with two clients
 * takes a few seconds.
 */
public final class PgbenchRun {

    /** The pgbench client this machine has (postgresql-client-15). */
    public static final Path PGBENCH = Path.of("/usr/bin/pgbench");

    /** The database the run creates and uses. */
    public static final String DATABASE = "pgbench";

    /**
     * The SQL statements of pgbench's built-in {@code tpcb-like} script as the server logs them
     * under {@code -M extended}, each sent once per transaction.
     */
    public static final List<String> TPCB_STATEMENTS = List.of(
            "BEGIN;",
            "UPDATE pgbench_accounts SET abalance = abalance + $1 WHERE aid = $2;",
            "SELECT abalance FROM pgbench_accounts WHERE aid = $1;",
            "UPDATE pgbench_tellers SET tbalance = tbalance + $1 WHERE tid = $2;",
            "UPDATE pgbench_branches SET bbalance = bbalance + $1 WHERE bid = $2;",
            "INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES ($1, $2, $3, $4, CURRENT_TIMESTAMP);",
            "END;");

    /**
     * What a run left behind.
     *
     * @param stderrLog             stderr-format log of the benchmark run (after the rotation)
     * @param csvLog                csvlog of the same events
     * @param jsonLog               jsonlog of the same events
     * @param expectedExecutions    each of {@link #TPCB_STATEMENTS} to clients × transactions
     * @param transactionsProcessed pgbench's own count of completed transactions
     * @param output                pgbench's console output of the benchmark run
     */
    public record Result(Path stderrLog, Path csvLog, Path jsonLog, Map<String, Integer> expectedExecutions,
                         int transactionsProcessed, String output) {
    }

    private PgbenchRun() {
    }

    /** Whether the pgbench client is installed here. */
    public static boolean available() {
        return Files.isExecutable(PGBENCH);
    }

    /** Runs {@code pgbench -i -s 1}, then the TPC-B script with these clients and transactions each. */
    public static Result run(RealPostgres pg, int clients, int transactionsPerClient)
            throws IOException, SQLException, InterruptedException {
        pg.createDatabase(DATABASE);
        pgbench(pg, List.of("-i", "-s", "1", "-q"));
        // The init session's disconnection line belongs before the rotation.
        pg.awaitSessionsEnded();
        pg.rotate();
        String output = pgbench(pg, List.of("-M", "extended", "-c", Integer.toString(clients), "-j", "1",
                "-t", Integer.toString(transactionsPerClient)));
        pg.awaitSessionsEnded();

        Map<String, Integer> expected = new LinkedHashMap<>();
        for (String statement : TPCB_STATEMENTS) {
            expected.put(statement, clients * transactionsPerClient);
        }
        return new Result(pg.stderrLog(), pg.csvLog(), pg.jsonLog(), Map.copyOf(expected),
                processed(output), output);
    }

    private static String pgbench(RealPostgres pg, List<String> options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(PGBENCH.toString(), "-h", "127.0.0.1",
                "-p", Integer.toString(pg.port()), "-U", RealPostgres.USER));
        command.addAll(options);
        command.add(DATABASE);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("pgbench did not finish: " + command);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("pgbench failed (" + p.exitValue() + "): " + command + "\n" + output);
        }
        return output;
    }

    /** Reads "number of transactions actually processed: 400/400" from pgbench's output. */
    private static int processed(String output) {
        String key = "number of transactions actually processed: ";
        int i = output.indexOf(key);
        if (i < 0) {
            throw new IllegalStateException("no transaction count in pgbench output:\n" + output);
        }
        int start = i + key.length();
        int end = start;
        while (end < output.length() && Character.isDigit(output.charAt(end))) {
            end++;
        }
        return Integer.parseInt(output.substring(start, end));
    }
}
