package dev.pgsleuth.normalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgsleuth.model.NormalizedStatement;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SqlNormalizerTest {

    private final SqlNormalizer n = new SqlNormalizer();

    private String fp(String sql) {
        return n.normalize(sql).fingerprint();
    }

    private void same(String a, String b) {
        assertEquals(fp(a), fp(b), a + "  ≡  " + b);
    }

    private void differ(String a, String b) {
        assertNotEquals(fp(a), fp(b), a + "  ≠  " + b);
    }

    @Test
    void theTextIsTheSameWhateverTheWhitespaceBetweenTokens() {
        // the text joins tokens with one space where the source had any: copied in runs where the
        // source already reads so, the rest token by token; both must give the one text
        String[] statements = {
            "SELECT a.id, b.name FROM a JOIN b ON b.a_id = a.id WHERE a.x = 42 AND b.y IN (1, -2, 'z') ORDER BY 1 LIMIT 10",
            "UPDATE t SET v = v + -1, w = 'it''s' WHERE id = $1 RETURNING id",
            "SELECT count(*) FROM t GROUP BY 1, 2 HAVING count(*) > 3 /* note */ ORDER BY 2 DESC",
            "INSERT INTO t (a, b) VALUES (1, 'x'), (-2.5, NULL); SELECT 1",
            "SELECT x - 1, y-2, f(-3) FROM t WHERE z = - 4 OFFSET 5",
        };
        String[] spaces = {" ", "  ", "\n", "\t", "\n  ", " -- c\n"};
        Random r = new Random(3);
        for (String sql : statements) {
            String expected = n.normalize(sql).text();
            for (int i = 0; i < 200; i++) {
                StringBuilder varied = new StringBuilder();
                for (String word : sql.split(" ")) {
                    if (varied.length() > 0) {
                        String sp = spaces[r.nextInt(spaces.length)];
                        varied.append(r.nextInt(3) == 0 ? sp : " ");
                    }
                    varied.append(word);
                }
                assertEquals(expected, new SqlNormalizer().normalize(varied.toString()).text(), varied.toString());
            }
        }
    }

    // --- equivalences: these must collide

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        SELECT * FROM t WHERE id = 1                 | SELECT * FROM t WHERE id = 987654
        SELECT * FROM t WHERE name = 'bob'           | SELECT * FROM t WHERE name = E'it\\'s'
        SELECT * FROM t WHERE x = -1.5e3             | SELECT * FROM t WHERE x = 0x1F
        SELECT * FROM t WHERE x = 1_000              | SELECT * FROM t WHERE x = $1
        SELECT * FROM t WHERE d > DATE '2020-01-01'  | SELECT * FROM t WHERE d > $1
        SELECT * FROM t WHERE d > '2020'::date       | SELECT * FROM t WHERE d > $1::timestamp with time zone
        SELECT * FROM t WHERE id = CAST($1 AS int)   | SELECT * FROM t WHERE id = $1
        SELECT * FROM t WHERE body = $$x$$           | SELECT * FROM t WHERE body = $tag$ y $tag$
        SELECT * FROM t WHERE b = B'101'             | SELECT * FROM t WHERE b = X'FF'
        SELECT * FROM t WHERE u = U&'d\\0061t'       | SELECT * FROM t WHERE u = 'x'
        SELECT * FROM t WHERE id IN (1, 2, 3)        | SELECT * FROM t WHERE id IN (4)
        SELECT * FROM t WHERE id IN (1, 2, 3)        | SELECT * FROM t WHERE id = ANY($1)
        SELECT * FROM t WHERE id IN (?, ?, ?)        | SELECT * FROM t WHERE id = ANY(ARRAY[1, 2])
        SELECT * FROM t WHERE id IN (1, 2)           | SELECT * FROM t WHERE id = ANY($1::int[])
        SELECT * FROM t WHERE id NOT IN (1, 2)       | SELECT * FROM t WHERE id <> ALL($1)
        SELECT * FROM t WHERE a != 1                 | SELECT * FROM t WHERE a <> 2
        SELECT a,   b FROM t                         | select a, b\\n  from t
        SELECT a /* hi */ FROM t -- tail             | SELECT a FROM t
        SELECT a /* outer /* nested */ */ FROM t     | SELECT a FROM t
        SELECT A FROM T WHERE X = 1                  | select a from t where x = 2
        SELECT "a" FROM "t"                          | SELECT a FROM t
        SELECT a, b, c FROM t                        | SELECT c, a, b FROM t
        SELECT * FROM a, b WHERE a.id = b.id         | SELECT * FROM b, a WHERE a.id = b.id
        SELECT * FROM t WHERE a = 1 AND b = 2        | SELECT * FROM t WHERE b = 5 AND a = 7
        SELECT * FROM t WHERE a = 1 AND b BETWEEN 1 AND 2 | SELECT * FROM t WHERE b BETWEEN 3 AND 4 AND a = 1
        SELECT * FROM t WHERE (a = 1 OR b = 2) AND c = 3 | SELECT * FROM t WHERE c = 3 AND (b = 2 OR a = 1)
        SELECT a AS x FROM t AS u                    | SELECT a FROM t
        SELECT count(*) total FROM t                 | SELECT count(*) FROM t
        SELECT * FROM t x JOIN u y ON x.id = y.t_id  | SELECT * FROM t AS x JOIN u ON x.id = y.t_id
        SAVEPOINT a                                  | SAVEPOINT sp_2
        RELEASE a                                    | RELEASE SAVEPOINT b
        ROLLBACK TO SAVEPOINT a                      | ROLLBACK TO b
        DECLARE c1 CURSOR FOR SELECT * FROM t        | DECLARE c2 CURSOR FOR SELECT * FROM t
        FETCH 100 FROM c1                            | FETCH 50 FROM c2
        FETCH NEXT FROM c1                           | FETCH NEXT FROM "Cursor"
        CLOSE c1                                     | CLOSE c2
        PREPARE p1 AS SELECT * FROM t WHERE id = $1  | PREPARE p2 AS SELECT * FROM t WHERE id = $1
        DEALLOCATE p1                                | DEALLOCATE PREPARE p2
        EXECUTE p1(1, 'a')                           | EXECUTE p2(2, 'b')
        INSERT INTO t (a, b) VALUES (1, 2)           | INSERT INTO t (b, a) VALUES (3, 4), (5, 6)
        INSERT INTO t (a, b) VALUES (1, DEFAULT)     | INSERT INTO t (a, b) VALUES ($1, $2)
        UPDATE t SET a = 1, b = 2 WHERE id = 3       | UPDATE t SET b = 9, a = 8 WHERE id = 7
        SELECT * FROM events_20240101                | SELECT * FROM events_20240102
        SELECT 1;                                    | SELECT 2
        """)
    void collide(String a, String b) {
        same(a.replace("\\n", "\n"), b.replace("\\n", "\n"));
    }

    // --- and these must not

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        SELECT * FROM t WHERE id = 1                 | SELECT * FROM u WHERE id = 1
        SELECT * FROM s1.t WHERE id = 1              | SELECT * FROM s2.t WHERE id = 1
        SELECT * FROM t WHERE id = 1                 | SELECT * FROM t WHERE user_id = 1
        SELECT a FROM t                              | SELECT b FROM t
        SELECT * FROM t WHERE id = 1                 | SELECT * FROM t WHERE id > 1
        SELECT * FROM t WHERE id = 1                 | SELECT * FROM t WHERE id <> 1
        SELECT * FROM t WHERE id IN (1, 2)           | SELECT * FROM t WHERE id NOT IN (1, 2)
        SELECT * FROM t WHERE a = 1 AND b = 2        | SELECT * FROM t WHERE a = 1 OR b = 2
        SELECT * FROM t WHERE a = 1                  | SELECT * FROM t WHERE a = 1 AND b = 2
        SELECT * FROM t WHERE x - 1 > 0              | SELECT * FROM t WHERE x > 0
        SELECT * FROM t_1                            | SELECT * FROM t_2
        SELECT * FROM t JOIN u ON t.id = u.t_id      | SELECT * FROM t LEFT JOIN u ON t.id = u.t_id
        SELECT * FROM t ORDER BY a                   | SELECT * FROM t ORDER BY a DESC
        SELECT * FROM t ORDER BY a, b                | SELECT * FROM t ORDER BY b, a
        SELECT * FROM t WHERE id = 1                 | SELECT * FROM t WHERE id = 1 LIMIT 1
        SELECT * FROM t WHERE id = 1                 | SELECT * FROM t WHERE id = 1 FOR UPDATE
        SELECT "A" FROM t                            | SELECT a FROM t
        SELECT f(a, 1) FROM t                        | SELECT f(1, a) FROM t
        SELECT * FROM t WHERE id IN (SELECT a FROM u) | SELECT * FROM t WHERE id IN (SELECT b FROM u)
        DEALLOCATE p1                                | DEALLOCATE ALL
        SAVEPOINT a                                  | RELEASE a
        INSERT INTO t (a, b) VALUES (1, 2)           | INSERT INTO t (a, c) VALUES (1, 2)
        UPDATE t SET a = 1 WHERE id = 2              | UPDATE t SET b = 1 WHERE id = 2
        DELETE FROM t WHERE id = 1                   | SELECT * FROM t WHERE id = 1
        LISTEN a                                     | NOTIFY a
        """)
    void doNotCollide(String a, String b) {
        differ(a, b);
    }

    // --- normalized text and literals

    @Test
    void replacesLiteralsNumberingAfterExistingParameters() {
        NormalizedStatement st = n.normalize("SELECT $1, 1, 'it''s' FROM t WHERE x = $3 AND y = -2.5");
        assertEquals("SELECT $1, $4, $5 FROM t WHERE x = $3 AND y = $6", st.text());
        assertEquals(List.of("1", "it's", "-2.5"), st.literals());
    }

    @Test
    void unquotesEveryStringForm() {
        NormalizedStatement st = n.normalize(
                "SELECT E'a\\nb\\'c', $q$ d'e $q$, B'101', X'1F', U&'d\\0061t', 'x' || 'y'");
        assertEquals("SELECT $1, $2, $3, $4, $5, $6 || $7", st.text());
        assertEquals(List.of("a\nb'c", " d'e ", "101", "1F", "d\\0061t", "x", "y"), st.literals());
    }

    @Test
    void collapsesWhitespaceAndDropsComments() {
        NormalizedStatement st = n.normalize("  SELECT  a,\n\tb -- c\n FROM /* x */ t  ");
        assertEquals("SELECT a, b FROM t", st.text());
        assertEquals(List.of(), st.literals());
    }

    @Test
    void keepsTypmodsPositionsAndBindMarkers() {
        NormalizedStatement st = n.normalize(
                "SELECT a::varchar(50), CAST(b AS numeric(10, 2)), count(*) FROM t "
                        + "WHERE c = ? AND d = :name GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 10");
        assertEquals("SELECT a::varchar(50), CAST(b AS numeric(10, 2)), count(*) FROM t "
                + "WHERE c = ? AND d = :name GROUP BY 1, 2 ORDER BY 3 DESC LIMIT $1", st.text());
        assertEquals(List.of("10"), st.literals());
    }

    @Test
    void binaryMinusIsNoSign() {
        NormalizedStatement st = n.normalize("SELECT x-1, x - 2, col_1, -3 FROM t2");
        assertEquals("SELECT x-$1, x - $2, col_1, $3 FROM t2", st.text());
        assertEquals(List.of("1", "2", "-3"), st.literals());
    }

    @Test
    void jdbcQuestionMarkVersusJsonbOperator() {
        assertEquals("SELECT * FROM t WHERE id=? AND doc ? $1",
                n.normalize("SELECT * FROM t WHERE id=? AND doc ? 'k'").text());
        differ("SELECT * FROM t WHERE doc ? 'k'", "SELECT * FROM t WHERE doc ?| 'k'");
    }

    @Test
    void seenShapeFastPathGivesTheColdFingerprint() {
        String[] sql = {"SELECT * FROM t WHERE id = 1", "SELECT * FROM t WHERE id = 2", "SELECT b, a FROM u x",
            "UPDATE t SET a = 'x' WHERE id IN (1, 2, 3)"};
        for (String s : sql) {
            String warm1 = fp(s);
            String warm2 = fp(s);
            String cold = new SqlNormalizer().normalize(s).fingerprint();
            assertEquals(cold, warm1);
            assertEquals(cold, warm2);
        }
    }

    @Test
    void fingerprintIsSixteenLowerHexDigits() {
        assertTrue(fp("SELECT 1").matches("[0-9a-f]{16}"));
        assertTrue(fp("").matches("[0-9a-f]{16}"));
    }

    @Test
    void garbageNeverThrows() {
        String[] bad = {"", "   ", ";;;", "(((", ")))", "SELECT (", "'unterminated", "\"open", "$$ open",
            "/* open", "SELECT * FROM WHERE AND OR", "E'\\", "SELECT 1e", "0x", "U&", "::", "$", "?", ":",
            "IN (", "x = ANY(", "CAST(", "INSERT INTO", "UPDATE SET", "SELECT a AS", "FROM", "VALUES (,)",
            null};
        for (String s : bad) {
            NormalizedStatement st = n.normalize(s);
            assertEquals(16, st.fingerprint().length());
            n.shape(st);
        }
        Random r = new Random(42);
        String alphabet = "selct frmwhr()[],;.:'\"$?-+*/=<>!0123456789_aEUB&x\n\\ ";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder b = new StringBuilder();
            int len = r.nextInt(60);
            for (int j = 0; j < len; j++) {
                b.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            NormalizedStatement st = n.normalize(b.toString());
            assertEquals(16, st.fingerprint().length());
        }
    }

    @Test
    void deepNestingNeverThrows() {
        String deep = "SELECT " + "(".repeat(5000) + "1" + ")".repeat(5000);
        assertEquals(16, fp(deep).length());
        same(deep, "SELECT " + "(".repeat(5000) + "2" + ")".repeat(5000));
    }

    @Test
    void threadsShareOneNormalizer() throws Exception {
        String[] sql = {"SELECT * FROM t WHERE id = 1", "UPDATE t SET a = 2 WHERE id = 3", "SELECT a, b FROM u"};
        String[] expected = new String[sql.length];
        for (int i = 0; i < sql.length; i++) {
            expected[i] = fp(sql[i]);
        }
        Thread[] threads = new Thread[4];
        boolean[] ok = new boolean[threads.length];
        for (int t = 0; t < threads.length; t++) {
            int id = t;
            threads[t] = new Thread(() -> {
                // half the threads bound to their buffers once, as a batch loop does
                SqlNormalizer.ThreadNormalizer here = id % 2 == 0 ? n::normalize : n.onThisThread();
                boolean good = true;
                for (int i = 0; i < 20_000; i++) {
                    int k = (i + id) % sql.length;
                    good &= here.normalize(sql[k]).fingerprint().equals(expected[k]);
                }
                ok[id] = good;
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        for (boolean b : ok) {
            assertTrue(b);
        }
    }
}
