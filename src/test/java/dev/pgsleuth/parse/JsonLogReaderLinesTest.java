package dev.pgsleuth.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgsleuth.model.LogEntry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Lines read before their end is known (the whole input at hand) against the same lines read
 * after it was found (the input a byte at a time, so no line is ever whole when first offered).
 */
class JsonLogReaderLinesTest {

    private static ReadOutcome read(byte[] bytes, int maxRead) throws IOException {
        return ReadOutcome.of((out, unparsed) ->
                new JsonLogReader().read(ReadOutcome.inReadsOf(bytes, maxRead), "t.json", out, unparsed));
    }

    @Test
    void anObjectCutOffAtItsLineEndDoesNotRunIntoTheNextLine() throws IOException {
        String text = "{\"message\":\"cut\",\"pid\":1\n"
                + ",\"pid\":2}\n"
                + "{\"message\":\"cut\",\"pid\":\n"
                + "3}\n"
                + "{\"message\":\"ok\",\"pid\":4}  \r\n"
                + "{\"message\":\"ok\",\"pid\":5}";
        ReadOutcome whole = read(text.getBytes(StandardCharsets.UTF_8), Integer.MAX_VALUE);
        assertEquals(List.of(4, 5), whole.entries().stream().map(LogEntry::pid).toList());
        assertEquals(4, whole.unread());
        assertEquals(6, whole.lines());
        assertEquals(5, whole.entries().get(0).position().line());
        assertEquals(read(text.getBytes(StandardCharsets.UTF_8), 1), whole);
    }

    @Test
    void agreesWithLineByLineReadingOnRandomAndDamagedLogs() throws IOException {
        Random random = new Random(3);
        int entries = 0;
        for (int round = 0; round < 200; round++) {
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            for (int n = random.nextInt(40); n >= 0; n--) {
                byte[] line = JsonRecordFieldsTest.randomLine(random);
                if (random.nextInt(3) == 0) {
                    line = JsonRecordFieldsTest.damage(random, line);
                }
                log.write(line, 0, line.length);
                log.write(random.nextInt(10) == 0 ? '\r' : '\n');
                if (random.nextInt(10) == 0) {
                    log.write('\n');
                }
            }
            byte[] bytes = log.toByteArray();
            ReadOutcome whole = read(bytes, Integer.MAX_VALUE);
            assertEquals(read(bytes, 1), whole, new String(bytes, StandardCharsets.ISO_8859_1));
            assertEquals(whole, read(bytes, 1 + random.nextInt(200)));
            entries += whole.entries().size();
        }
        assertTrue(entries > 300, "entries: " + entries);
    }
}
