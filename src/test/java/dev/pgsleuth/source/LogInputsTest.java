package dev.pgsleuth.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogInputsTest {
    @TempDir
    Path dir;

    private Path write(String name, String firstLine) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, firstLine + "\n");
        return p;
    }

    private static List<String> names(List<LogInput> inputs) {
        return inputs.stream().map(i -> i.path() == null ? i.name() : i.path().getFileName().toString()).toList();
    }

    @Test
    void filesAreOrderedByTheirFirstTimestampNotTheirNames() throws IOException {
        write("b.log", "2024-01-01 10:00:00.000 UTC [1] LOG:  early");
        write("a.log", "2024-01-02 10:00:00.000 UTC [1] LOG:  late");
        Path gz = dir.resolve("c.log.gz");
        try (GZIPOutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write("2023-12-31 23:00:00 UTC [1] LOG:  earliest\n".getBytes(StandardCharsets.UTF_8));
        }
        List<LogInput> in = LogInputs.resolve(List.of(dir.resolve("a.log").toString(), dir.resolve("b.log").toString(),
                gz.toString()));
        assertEquals(List.of("c.log.gz", "b.log", "a.log"), names(in));
    }

    @Test
    void zonesCountWhenOrderingAndModificationTimeIsTheFallback() throws IOException {
        write("x.log", "2024-01-01 10:00:00 CET [1] LOG:  09:00 UTC");
        write("y.log", "2024-01-01 09:30:00 +00 [1] LOG:  09:30 UTC");
        Path noTime = write("z.log", "no timestamp here");
        Files.setLastModifiedTime(noTime, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
        List<LogInput> in = LogInputs.resolve(List.of(dir.toString()));
        assertEquals(List.of("z.log", "y.log", "x.log"), names(in));
    }

    @Test
    void globsMatchFilesAndDirectoriesGiveTheirRegularFiles() throws IOException {
        write("postgresql-1.log", "2024-01-01 10:00:00 UTC [1] LOG:  a");
        write("postgresql-2.log", "2024-01-02 10:00:00 UTC [1] LOG:  b");
        write("other.txt", "2024-01-03 10:00:00 UTC [1] LOG:  c");
        write("sub/postgresql-3.log", "2024-01-04 10:00:00 UTC [1] LOG:  d");
        assertEquals(List.of("postgresql-1.log", "postgresql-2.log"),
                names(LogInputs.resolve(List.of(dir + "/postgresql-*.log"))));
        assertEquals(List.of("postgresql-1.log", "postgresql-2.log", "postgresql-3.log"),
                names(LogInputs.resolve(List.of(dir + "/**postgresql-*.log"))));
        assertEquals(List.of("postgresql-1.log", "postgresql-2.log", "other.txt"),
                names(LogInputs.resolve(List.of(dir.toString()))));
    }

    @Test
    void dashIsStandardInputAndComesLast() throws IOException {
        write("a.log", "2024-01-01 10:00:00 UTC [1] LOG:  a");
        List<LogInput> in = LogInputs.resolve(List.of("-", dir.resolve("a.log").toString()));
        assertEquals(List.of("a.log", "-"), names(in));
        assertEquals(-1, in.get(1).size());
    }

    @Test
    void nothingToReadIsAnInputException() throws IOException {
        assertEquals("cannot read " + dir.resolve("missing.log") + ": no such file",
                assertThrows(InputException.class,
                        () -> LogInputs.resolve(List.of(dir.resolve("missing.log").toString()))).getMessage());
        assertEquals("no file matches " + dir + "/*.nothing",
                assertThrows(InputException.class, () -> LogInputs.resolve(List.of(dir + "/*.nothing"))).getMessage());
        Files.createDirectories(dir.resolve("empty"));
        assertThrows(InputException.class, () -> LogInputs.resolve(List.of(dir.resolve("empty").toString())));
        assertThrows(InputException.class, () -> LogInputs.resolve(List.of()));
    }
}
