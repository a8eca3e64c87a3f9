package dev.pgsleuth.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
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
    void theValuesReadWhenFirstAskedForAreThoseOfTheWholeList() {
        // fromDetail answers isEmpty() before parsing: it must agree with the parse, for any text
        Random r = new Random(11);
        String[] pieces = {"$1 = ", "$2 = ", "$12 = ", "$0 = ", "$70000 = ", "$ = ", "$1 =", "'a'", "'it''s'", "''",
            "'cut", "NULL", "42", "-1.5", ", ", ", $", "\n", "x", " "};
        for (int i = 0; i < 20_000; i++) {
            StringBuilder b = new StringBuilder(r.nextBoolean() ? "parameters: " : "Parameters: ");
            for (int k = r.nextInt(8); k > 0; k--) {
                b.append(pieces[r.nextInt(pieces.length)]);
            }
            String detail = b.toString();
            List<String> eager = BindParameters.parse(detail, 12).values();
            List<String> deferred = BindParameters.fromDetail(detail);
            assertEquals(eager.isEmpty(), deferred.isEmpty(), detail);
            if (r.nextBoolean()) {
                assertEquals(eager.size(), deferred.size(), detail);
            }
            assertEquals(eager, deferred, detail);
            assertEquals(eager.hashCode(), deferred.hashCode(), detail);
        }
    }

    @Test
    void reportsWhereTheListEnds() {
        String s = "Query Parameters: $1 = 'a\nb', $2 = NULL\nSeq Scan on t";
        BindParameters.Parsed p = BindParameters.parse(s, 18);
        assertEquals(Arrays.asList("a\nb", null), p.values());
        assertEquals(s.indexOf("\nSeq"), p.end());
    }
}
