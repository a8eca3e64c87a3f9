package dev.pgsleuth.normalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgsleuth.model.NormalizedStatement;
import dev.pgsleuth.model.QueryShape;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import org.junit.jupiter.api.Test;

/**
 * Every vector of pg_query's fingerprint.json: two inputs must get one pgsleuth fingerprint
 * exactly when pg_query gives them one.
 */
class PgQueryVectorTest {

    /**
     * Vectors where pgsleuth deliberately differs from pg_query, by index in fingerprint.json,
     * with the reason. Empty: no vector needs one (pg_query also ignores the order of AND terms).
     */
    private static final Map<Integer, String> EXEMPT = Map.of();

    private final SqlNormalizer normalizer = new SqlNormalizer();

    private static List<String[]> vectors() throws Exception {
        try (InputStream in = PgQueryVectorTest.class.getResourceAsStream("/pg_query/fingerprint.json")) {
            assertNotNull(in, "fingerprint.json on the test classpath");
            JsonNode root = new ObjectMapper().readTree(in);
            List<String[]> out = new ArrayList<>();
            for (JsonNode v : root) {
                out.add(new String[] {v.get("input").asText(), v.get("expectedHash").asText()});
            }
            return out;
        }
    }

    @Test
    void collidesExactlyWherePgQueryCollides() throws Exception {
        List<String[]> vs = vectors();
        assertEquals(78, vs.size());
        String[] ours = new String[vs.size()];
        for (int i = 0; i < vs.size(); i++) {
            ours[i] = normalizer.normalize(vs.get(i)[0]).fingerprint();
        }
        int pairs = 0;
        int agree = 0;
        List<String> disagreements = new ArrayList<>();
        for (int i = 0; i < vs.size(); i++) {
            for (int j = i + 1; j < vs.size(); j++) {
                if (EXEMPT.containsKey(i) || EXEMPT.containsKey(j)) {
                    continue;
                }
                pairs++;
                boolean theirs = vs.get(i)[1].equals(vs.get(j)[1]);
                boolean mine = ours[i].equals(ours[j]);
                if (theirs == mine) {
                    agree++;
                } else {
                    disagreements.add(i + " vs " + j + " (pg_query " + (theirs ? "same" : "different") + "): "
                            + vs.get(i)[0] + "  |  " + vs.get(j)[0]);
                }
            }
        }
        System.out.printf("pg_query vectors: %d, pairs compared: %d, agreeing: %d, exempted vectors: %d%n",
                vs.size(), pairs, agree, EXEMPT.size());
        disagreements.forEach(System.out::println);
        assertTrue(disagreements.isEmpty(), "disagreements with pg_query:\n" + String.join("\n", disagreements));
    }

    @Test
    void vectorsJsqlParserCannotParseAreStillFingerprintedAndShaped() throws Exception {
        List<String> unparsable = new ArrayList<>();
        for (String[] v : vectors()) {
            NormalizedStatement st = normalizer.normalize(v[0]);
            assertEquals(16, st.fingerprint().length());
            // a fresh cache: equal fingerprints would otherwise share the first input's shape
            QueryShape shape = new SqlNormalizer(4).shape(st);
            assertNotNull(shape.kind());
            boolean jsqlParses;
            try {
                CCJSqlParserUtil.parse(st.text(), p -> p.withTimeOut(500));
                jsqlParses = true;
            } catch (Exception e) {
                jsqlParses = false;
            }
            if (!jsqlParses) {
                unparsable.add(v[0].length() > 90 ? v[0].substring(0, 90) + "…" : v[0]);
                assertFalse(shape.parsed(), v[0]);
            }
        }
        System.out.println("vectors JSQLParser 5.3 cannot parse (inputs shown): " + unparsable.size());
        unparsable.forEach(s -> System.out.println("  " + s));
    }
}
