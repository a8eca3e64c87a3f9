package dev.pgsleuth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgsleuth.parse.LogFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code watch --config FILE}: the file's keys mirror the options, the command line wins. */
class WatchConfigTest {
    @TempDir
    Path work;

    private WatchCommand parse(String yaml, String... args) throws Exception {
        Path file = work.resolve("watch.yaml");
        Files.writeString(file, yaml);
        CommandLine main = Main.commandLine();
        String[] all = new String[args.length + 3];
        all[0] = "watch";
        all[1] = "--config";
        all[2] = file.toString();
        System.arraycopy(args, 0, all, 3, args.length);
        main.parseArgs(all);
        WatchCommand cmd = main.getSubcommands().get("watch").getCommand();
        cmd.applyConfig();
        return cmd;
    }

    @Test
    void fileSetsWhatTheCommandLineLeavesOut() throws Exception {
        WatchCommand cmd = parse("""
                log: /var/lib/postgresql/17/main/log
                listen: 0.0.0.0:9999
                state: /var/lib/pgsleuth
                log-format: csvlog
                show-values: true
                max-shapes: 1234
                poll-interval: 100ms
                """, "--max-shapes", "77", "--listen=127.0.0.1:1");
        assertEquals(Path.of("/var/lib/postgresql/17/main/log"), cmd.target);
        assertEquals("127.0.0.1:1", cmd.listen);
        assertEquals(77, cmd.shapeCap.maxShapes);
        assertEquals(Path.of("/var/lib/pgsleuth"), cmd.stateDir);
        assertEquals(LogFormat.CSVLOG, cmd.logFormat);
        assertTrue(cmd.showValues);
        assertEquals("100ms", cmd.pollInterval);
        assertEquals("5s", cmd.checkpointInterval); // neither: the default
        assertNull(cmd.eventsFile);
    }

    @Test
    void theShapeCapComesFromTheFileAndIsChecked() throws Exception {
        assertEquals(1234, parse("max-shapes: 1234\n").shapeCap.shapeCap());
        UsageException e = assertThrows(UsageException.class, () -> parse("max-shapes: 0\n").shapeCap.shapeCap());
        assertTrue(e.getMessage().contains("--max-shapes must be at least 1"), e.getMessage());
    }

    @Test
    void theDatabaseOptionsComeFromTheFileToo() throws Exception {
        WatchCommand cmd = parse("""
                db: postgres://app@db.internal/shop
                explain-interval: 10m
                explain-top: 3
                verify-indexes: hypopg
                rules: /etc/pgsleuth/rules.yaml
                """, "--explain-top", "7");
        assertEquals("postgres://app@db.internal/shop", cmd.database.db);
        assertEquals("10m", cmd.explainInterval);
        assertEquals(7, cmd.database.explainTop);
        assertEquals(DatabaseOptions.VerifyIndexes.hypopg, cmd.database.verifyIndexes);
        assertEquals(Path.of("/etc/pgsleuth/rules.yaml"), cmd.rulesOption.file);
        assertEquals("30s", cmd.database.explainTimeout);
    }

    @Test
    void theLogArgumentWinsOverTheFile() throws Exception {
        assertEquals(Path.of("/tmp/x.log"), parse("log: /var/log/a.log\n", "/tmp/x.log").target);
    }

    @Test
    void unknownKeysAndBadValuesAreUsageErrors() {
        assertTrue(assertThrows(UsageException.class, () -> parse("listne: 1.2.3.4:5\n")).getMessage()
                .contains("unknown key 'listne'"));
        assertTrue(assertThrows(UsageException.class, () -> parse("max-shapes: many\n")).getMessage()
                .contains("max-shapes"));
        assertThrows(UsageException.class, () -> parse("show-values: yes please\n"));
    }
}
