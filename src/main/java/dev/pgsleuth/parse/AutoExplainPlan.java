package dev.pgsleuth.parse;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.List;

/**
 * The parts of an auto_explain message body (what follows {@code duration: X ms  plan:}): the query
 * text it was logged for, the bind values of {@code Query Parameters} (PostgreSQL 16+), and the plan.
 *
 * <p>In text format the query text is the {@code Query Text: } line and may run over several lines;
 * when the statement is known, its text tells exactly where the query ends, otherwise the plan is
 * taken to start at the first line carrying {@code (cost=} (auto_explain always prints costs). The
 * plan keeps the plan lines only. In JSON format the plan is the whole object as logged.
 *
 * @param queryText  the {@code Query Text}, or {@code null} when the body has none
 * @param parameters bind values, empty when none were logged
 * @param plan       the plan text or JSON
 */
record AutoExplainPlan(String queryText, List<String> parameters, String plan) {

    private static final String QUERY_TEXT = "Query Text: ";
    private static final String QUERY_PARAMETERS = "Query Parameters: ";

    /** True when {@code body} is the plan of {@code statement}, compared without parsing the plan. */
    static boolean isPlanOf(String body, String statement) {
        if (statement == null || body == null) {
            return false;
        }
        if (body.startsWith(QUERY_TEXT)) {
            int end = QUERY_TEXT.length() + statement.length();
            return body.startsWith(statement, QUERY_TEXT.length())
                    && (end == body.length() || body.charAt(end) == '\n');
        }
        if (isJson(body)) {
            String q = parse(body, null).queryText();
            return q != null && (q.equals(statement) || q.strip().equals(statement.strip()));
        }
        return false;
    }

    /** Splits {@code body}; {@code statement} is the query text when known, else {@code null}. */
    static AutoExplainPlan parse(String body, String statement) {
        if (isJson(body)) {
            return parseJson(body);
        }
        if (!body.startsWith(QUERY_TEXT)) {
            return new AutoExplainPlan(null, List.of(), body);
        }
        int qs = QUERY_TEXT.length();
        int qe;
        int known = qs + (statement == null ? 0 : statement.length());
        if (statement != null && body.startsWith(statement, qs)
                && (known == body.length() || body.charAt(known) == '\n')) {
            qe = known;
        } else {
            qe = guessQueryEnd(body, qs);
        }
        String query = body.substring(qs, qe);
        int rest = Math.min(qe + 1, body.length());
        List<String> parameters = List.of();
        if (body.startsWith(QUERY_PARAMETERS, rest)) {
            BindParameters.Parsed p = BindParameters.parse(body, rest + QUERY_PARAMETERS.length());
            parameters = p.values();
            int nl = body.indexOf('\n', p.end());
            rest = nl < 0 ? body.length() : nl + 1;
        }
        return new AutoExplainPlan(query, parameters, body.substring(rest));
    }

    private static boolean isJson(String body) {
        return !body.isEmpty() && body.charAt(0) == '{';
    }

    /** End of a query text of unknown length: before Query Parameters or the first plan line. */
    private static int guessQueryEnd(String body, int from) {
        int firstLineEnd = body.indexOf('\n', from);
        if (firstLineEnd < 0) {
            return body.length();
        }
        int ls = firstLineEnd + 1;
        while (ls < body.length()) {
            int le = body.indexOf('\n', ls);
            if (le < 0) {
                le = body.length();
            }
            if (body.startsWith(QUERY_PARAMETERS, ls)) {
                return ls - 1;
            }
            int cost = body.indexOf("(cost=", ls);
            if (cost >= 0 && cost < le) {
                return ls - 1;
            }
            ls = le + 1;
        }
        return firstLineEnd;
    }

    private static AutoExplainPlan parseJson(String body) {
        String query = null;
        List<String> parameters = List.of();
        try (JsonParser p = JsonRecordFields.FACTORY.createParser(body)) {
            if (p.nextToken() == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken v = p.nextToken();
                    if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
                        p.skipChildren();
                    } else if ("Query Text".equals(name) && v == JsonToken.VALUE_STRING) {
                        query = p.getText();
                    } else if ("Query Parameters".equals(name) && v == JsonToken.VALUE_STRING) {
                        parameters = BindParameters.parse(p.getText(), 0).values();
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // a cut or odd plan keeps whatever was read before the problem
        }
        return new AutoExplainPlan(query, parameters, body);
    }
}
