package dev.pgsleuth.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PrefixInferenceTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "'%m [%p] '|2024-05-01 10:20:30.456 UTC [4242] LOG:  checkpoint starting: time|2024-05-01 10:20:31.001 UTC [4243] ERROR:  relation \"t\" does not exist",
        "'%t [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h '|2017-09-06 08:41:41 UTC [36]: [121-1] user=postgres,db=postgres,app=pgbench,client=172.23.0.1 LOG:  duration: 2.280 ms  statement: END;|2017-09-06 08:40:10 UTC [20]: [1-1] user=,db=,app=,client= LOG:  database system was shut down",
        "'%t:%r:%u@%d:[%p]:'|2019-01-01 10:00:00 UTC:10.0.0.1(5432):admin@prod:[1234]:LOG:  statement: SELECT 1|2019-01-01 10:00:01 UTC::@:[99]:LOG:  checkpoint starting: time",
        "'%m [%p] %q%u@%d '|2025-01-21 18:38:06.453 CET [78798] gilles@gilles ERROR:  conflicting values|2025-01-21 18:37:49.782 CET [78776] LOG:  starting PostgreSQL 17.2",
        "'%m [%p] %q[user=%u,db=%d,app=%a] '|2024-05-01 10:20:30.456 UTC [4242] [user=bob,db=shop,app=psql] LOG:  statement: SELECT 1|2024-05-01 10:20:30.456 UTC [11] LOG:  checkpoint starting: time",
        "'%t-%c-'|2020-03-03 10:00:00 UTC-5e5f2a3b.1234-LOG:  connection received: host=1.2.3.4 port=5|2020-03-03 10:00:01 UTC-5e5f2a3b.1234-LOG:  duration: 1.0 ms  statement: SELECT 1",
        "'%m [%p] user=%u,db=%d '|2021-12-03 07:14:48.591 UTC [4913] user=user1,db=mydb LOG:  duration: 124.928 ms  statement: select 1|2021-12-03 07:14:48.594 UTC [4913] user=user1,db=mydb DETAIL:  parameters: $1 = '1'",
        "'%t [%p]: [%l-1] user=%u,db=%d '|2014-04-01 11:13:21 CEST [28414]: [12-1] user=creward,db=creward LOG:  duration: 11215.838 ms  statement: SELECT 1|2014-04-01 11:16:58 CEST [11451]: [47451-1] user=,db= LOG:  checkpoint starting: time",
        "'%t [%p]: db=%d,user=%u,app=%a,client=%h '|2021-02-14 20:00:00 CET [123]: db=shop,user=bob,app=psql,client=::1 LOG:  connection authorized|2021-02-14 20:00:01 CET [124]: db=,user=,app=,client= LOG:  checkpoint starting: time",
        "'%t [%p]: [%l-1] user=%u,db=%d,host=%h,app=%a '|2024-06-27 00:00:07 CEST [58151]: [1-1] user=,db=,host=,app= LOG:  automatic analyze|2024-06-27 00:00:08 CEST [58152]: [3-1] user=bob,db=shop,host=10.0.0.2,app=psql LOG:  statement: SELECT 1",
        "'%m [%p]: [%l-1] db=%d,user=%u '|2021-06-01 10:00:00.123 UTC [123]: [1-1] db=cloudsqladmin,user=cloudsqladmin LOG:  statement: SELECT 1|2021-06-01 10:00:00.124 UTC [124]: [2-1] db=postgres,user=postgres LOG:  connection authorized",
        "'%t [%p-%l] %q%u@%d '|2015-03-02 10:00:00 CET [1234-1] bob@shop LOG:  duration: 0.1 ms  statement: SELECT 1|2015-03-02 10:00:01 CET [99-1] LOG:  checkpoint starting: time",
        "'sql_error_code = %e '|sql_error_code = 00000 LOG:  duration: 4822.012 ms  statement: BEGIN READ ONLY;|sql_error_code = 28000 FATAL:  no pg_hba.conf entry",
    })
    void infersEachKnownPrefix(String expected, String line1, String line2) {
        PrefixInference.Result r = PrefixInference.infer(List.of(line1, line2, "\tcontinued"));
        assertEquals(expected, r.prefix());
        assertEquals(2, r.matchedLines());
        assertEquals(2, r.sampledLines());
        assertTrue(r.convincing());
    }

    @Test
    void cloudWatchTimestampInFrontOfRdsLines() {
        PrefixInference.Result r = PrefixInference.infer(List.of(
                "2019-01-01T10:00:00.000Z 2019-01-01 10:00:00 UTC:10.0.0.1(5432):admin@prod:[1234]:LOG:  statement: SELECT 1"));
        assertEquals("%t:%r:%u@%d:[%p]:", r.prefix());
    }

    @Test
    void nothingFitsOtherText() {
        assertNull(PrefixInference.infer(List.of("hello world", "{\"a\":1}", "")));
        PrefixInference.Result weak = PrefixInference.infer(List.of(
                "2024-05-01 10:20:30.456 UTC [1] LOG:  x", "junk", "junk", "junk"));
        assertEquals("%m [%p] ", weak.prefix());
        assertFalse(weak.convincing());
    }
}
