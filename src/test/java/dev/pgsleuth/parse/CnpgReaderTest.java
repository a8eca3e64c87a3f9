package dev.pgsleuth.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.pgsleuth.model.LogEntry;
import dev.pgsleuth.model.Severity;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CnpgReaderTest {

    private static final String RECORD = "{\"level\":\"info\",\"ts\":\"2024-05-02T10:11:12.345678Z\",\"logger\":\"postgres\","
            + "\"msg\":\"record\",\"logging_pod\":\"cluster-example-1\",\"record\":{\"log_time\":\"2024-05-02 10:11:12.345 UTC\","
            + "\"user_name\":\"app\",\"database_name\":\"app\",\"process_id\":\"1234\",\"connection_from\":\"10.244.0.7:40312\","
            + "\"session_id\":\"66336a10.4d2\",\"session_line_num\":\"7\",\"command_tag\":\"SELECT\","
            + "\"session_start_time\":\"2024-05-02 10:00:00 UTC\",\"virtual_transaction_id\":\"4/17\",\"transaction_id\":\"0\","
            + "\"error_severity\":\"LOG\",\"sql_state_code\":\"00000\","
            + "\"message\":\"duration: 12.500 ms  execute <unnamed>: SELECT * FROM orders WHERE id = $1\","
            + "\"detail\":\"Parameters: $1 = '42'\",\"application_name\":\"orders-api\",\"backend_type\":\"client backend\","
            + "\"query_id\":\"-5191732810777595558\"}}";
    private static final String OPERATOR = "{\"level\":\"info\",\"ts\":\"2024-05-02T10:11:13Z\",\"msg\":\"Checking for free disk space\","
            + "\"logger\":\"instance-manager\",\"logging_pod\":\"cluster-example-1\"}";
    private static final String ERROR = "{\"level\":\"info\",\"ts\":\"2024-05-02T10:11:14Z\",\"logger\":\"postgres\",\"msg\":\"record\","
            + "\"record\":{\"log_time\":\"2024-05-02 10:11:14.001 UTC\",\"process_id\":\"1234\",\"session_id\":\"66336a10.4d2\","
            + "\"error_severity\":\"ERROR\",\"sql_state_code\":\"22012\",\"message\":\"division by zero\",\"query\":\"SELECT 1/0\"}}";

    private final UnparsedLines unparsed = new UnparsedLines();
    private final CnpgReader reader = new CnpgReader();

    private List<LogEntry> read(String text) throws IOException {
        List<LogEntry> out = new ArrayList<>();
        reader.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "pod.log", b -> out.add(b.build()), unparsed);
        return out;
    }

    @Test
    void readsPostgresRecordsAndSkipsTheOperatorsOwnLines() throws IOException {
        List<LogEntry> entries = read(RECORD + "\n" + OPERATOR + "\n" + ERROR + "\n");
        assertEquals(2, entries.size());
        assertEquals(1, reader.operatorLines());
        assertEquals(0, unparsed.count());
        LogEntry e = entries.get(0);
        assertEquals(OffsetDateTime.parse("2024-05-02T10:11:12.345Z"), e.timestamp());
        assertEquals("app", e.user());
        assertEquals("app", e.database());
        assertEquals(1234, e.pid());
        assertEquals("10.244.0.7:40312", e.client());
        assertEquals("66336a10.4d2", e.sessionId());
        assertEquals(7, e.sessionLine());
        assertEquals(Severity.LOG, e.severity());
        assertEquals("00000", e.sqlState());
        assertEquals("duration: 12.500 ms  execute <unnamed>: SELECT * FROM orders WHERE id = $1", e.message());
        assertEquals("Parameters: $1 = '42'", e.detail());
        assertEquals("orders-api", e.application());
        assertNull(e.statement());
        LogEntry error = entries.get(1);
        assertEquals(Severity.ERROR, error.severity());
        assertEquals("SELECT 1/0", error.statement(), "csvlog's query column is the STATEMENT text");
        assertEquals(3, error.position().line());
    }

    @Test
    void aRecordWithoutLogTimeTakesTheEnvelopeTime() throws IOException {
        List<LogEntry> entries = read("{\"level\":\"info\",\"ts\":\"2023-09-29T20:57:38+02:00\",\"logger\":\"postgres\","
                + "\"msg\":\"record\",\"record\":{\"error_severity\":\"LOG\",\"message\":\"a\"}}\n"
                + "{\"level\":\"info\",\"ts\":1714644672.5,\"logger\":\"postgres\","
                + "\"msg\":\"record\",\"record\":{\"error_severity\":\"LOG\",\"message\":\"b\"}}\n");
        assertEquals(OffsetDateTime.parse("2023-09-29T20:57:38+02:00"), entries.get(0).timestamp());
        assertEquals(OffsetDateTime.parse("2024-05-02T10:11:12.5Z"), entries.get(1).timestamp());
    }

    @Test
    void kubectlTimestampsInFrontAreSkipped() throws IOException {
        List<LogEntry> entries = read("2024-05-02T10:11:12.999999999Z " + RECORD + "\n");
        assertEquals(1, entries.size());
        assertEquals("66336a10.4d2", entries.get(0).sessionId());
    }

    @Test
    void garbageIsCountedButOperatorLinesAreNot() throws IOException {
        List<LogEntry> entries = read("Defaulted container \"postgres\" out of: postgres, bootstrap-controller (init)\n"
                + "{\"logger\":\"postgres\",\"msg\":\"record\",\"record\":{\"message\":\"cut\n"
                + "{\"level\":\"info\",\"msg\":\"record\",\"logger\":\"postgres\"}\n"
                + RECORD + "\n");
        assertEquals(1, entries.size());
        assertEquals(2, unparsed.count(), unparsed.samples().toString());
        assertEquals(1, reader.operatorLines(), "a postgres line without record is not an entry");
    }
}
