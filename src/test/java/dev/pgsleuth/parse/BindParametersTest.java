package dev.pgsleuth.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BindParametersTest {

    @Test
    void valuesWithCommasQuotesAndNewlinesAndNulls() {
        assertEquals(Arrays.asList("42", null, "it's, a \"quoted\"\nvalue"),
                BindParameters.fromDetail("parameters: $1 = '42', $2 = NULL, $3 = 'it''s, a \"quoted\"\nvalue'"));
    }

    @Test
    void aDoubledQuoteInALaterValueDoesNotReachBackIntoAnEarlierOne() {
        assertEquals(List.of("a", "b''c", "it's"),
                BindParameters.fromDetail("Parameters: $1 = 'a', $2 = 'b''''c', $3 = 'it''s'"));
        assertEquals(List.of("x", "cut 'here"), BindParameters.fromDetail("Parameters: $1 = 'x', $2 = 'cut ''here"));
    }

    @Test
    void postgres16CapitalizedLabel() {
        assertEquals(List.of("a", "b"), BindParameters.fromDetail("Parameters: $1 = 'a', $2 = 'b'"));
    }

    @Test
    void aValueCutByLogParameterMaxLengthIsKeptAsLogged() {
        assertEquals(List.of("abcdef...", "x"), BindParameters.fromDetail("Parameters: $1 = 'abcdef...', $2 = 'x'"));
    }

    @Test
    void valuesThatLookLikeTheSeparator() {
        assertEquals(List.of("a', $2 = 'b", "''"),
                BindParameters.fromDetail("parameters: $1 = 'a'', $2 = ''b', $2 = ''''''"));
    }

    @Test
    void emptyValuesAndGapsInNumbering() {
        assertEquals(Arrays.asList("", null, "z"), BindParameters.fromDetail("parameters: $1 = '', $3 = 'z'"));
    }

    @Test
    void aTextCutInsideAValueKeepsWhatThereIs() {
        assertEquals(List.of("1", "unfinished"), BindParameters.fromDetail("parameters: $1 = '1', $2 = 'unfinished"));
    }

    @Test
    void otherDetailsHoldNoParameters() {
        assertEquals(List.of(), BindParameters.fromDetail("prepare: PREPARE q AS SELECT $1"));
        assertEquals(List.of(), BindParameters.fromDetail(null));
        assertEquals(List.of(), BindParameters.fromDetail("parameters: garbage"));
        assertEquals(List.of(), BindParameters.fromDetail("parameters: $0 = 'x'"));
    }

    @Test
    void reportsWhereTheListEnds() {
        String s = "Query Parameters: $1 = 'a\nb', $2 = NULL\nSeq Scan on t";
        BindParameters.Parsed p = BindParameters.parse(s, 18);
        assertEquals(Arrays.asList("a\nb", null), p.values());
        assertEquals(s.indexOf("\nSeq"), p.end());
    }
}
