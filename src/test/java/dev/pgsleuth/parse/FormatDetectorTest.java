package dev.pgsleuth.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgsleuth.source.LogInput;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FormatDetectorTest {

    private static FormatDetector.Detection detect(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return FormatDetector.detect(b, b.length, "t");
    }

    private static FormatDetector.Detection detectCorpus(String name) throws IOException {
        try (InputStream in = LogInput.of(CorpusStderrTest.corpus(name)).open()) {
            byte[] head = in.readNBytes(64 * 1024);
            return FormatDetector.detect(head, head.length, name);
        }
    }

    @Test
    void csvlogFromTheCorpus() throws IOException {
        assertEquals(LogFormat.CSVLOG, detectCorpus("anonymize.log").format());
        assertEquals(LogFormat.CSVLOG, detectCorpus("csv_statement_without_duration.log").format());
        assertNull(detectCorpus("anonymize.log").prefix());
    }

    @Test
    void jsonlogFromTheCorpus() throws IOException {
        assertEquals(LogFormat.JSONLOG, detectCorpus("pg_vacuums.json.gz").format());
    }

    @Test
    void stderrFromTheCorpus() throws IOException {
        assertEquals(new FormatDetector.Detection(LogFormat.STDERR, "%m [%p] "), detectCorpus("stmt_type.log"));
        assertEquals(new FormatDetector.Detection(LogFormat.STDERR, "%m [%p] %q%u@%d "), detectCorpus("pg_rawcsv.log"));
        assertEquals(new FormatDetector.Detection(LogFormat.STDERR, "%t [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h "),
                detectCorpus("light.postgres.log.bz2"));
    }

    @Test
    void jsonFlavoursByTheirKeys() {
        assertEquals(LogFormat.CNPG, detect("""
                {"level":"info","ts":"2024-01-01T10:00:00Z","logger":"postgres","msg":"record","logging_pod":"c-1","record":{"log_time":"2024-01-01 10:00:00.000 UTC","error_severity":"LOG","message":"x"}}
                """).format());
        assertEquals(LogFormat.CLOUDSQL, detect("""
                {"insertId":"a","textPayload":"2021-06-01 10:00:00.123 UTC [123]: [1-1] db=a,user=b LOG:  x","timestamp":"2021-06-01T10:00:00.123Z"}
                """).format());
        assertEquals(LogFormat.JSONLOG, detect("""
                {"timestamp":"2024-01-01 10:00:00.000 UTC","pid":5,"error_severity":"LOG","message":"x"}
                """).format());
    }

    @Test
    void csvWithQuotedTimestamps() {
        assertEquals(LogFormat.CSVLOG, detect("""
                "2026-05-16 05:11:50.269 UTC","u","d",1001,"192.0.2.10:54321",00000001.000003e9,1,"SELECT",,1/1,0,LOG,00000,"x",,,,,,,,,"app","client backend",0
                """).format());
    }

    @Test
    void unknownInputSaysWhatWasTried() {
        UnknownFormatException e = assertThrows(UnknownFormatException.class,
                () -> detect("hello\nthis is not a log\n"));
        assertTrue(e.getMessage().startsWith("cannot recognize the log format of t: tried jsonlog, cnpg, cloudsql, "
                + "csvlog, heroku, syslog and stderr with "), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"));
        byte[] zeros = new byte[70_000];
        assertThrows(UnknownFormatException.class, () -> FormatDetector.detect(zeros, zeros.length, "z"));
    }
}
