package dev.pgsleuth.detect.nplusone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgsleuth.model.Finding;
import dev.pgsleuth.model.FindingSeverity;
import dev.pgsleuth.model.LogEntry;
import dev.pgsleuth.model.StatementPhase;
import dev.pgsleuth.normalize.SqlNormalizer;
import dev.pgsleuth.report.JsonReportWriter;
import dev.pgsleuth.report.Report;
import dev.pgsleuth.report.ReportBuilder;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** N+1 and duplicate detection on entry sequences shaped like real ORM output (nplusone.md §2). */
class NPlusOneDetectorTest {
    private static final OffsetDateTime T0 = OffsetDateTime.of(2026, 3, 1, 12, 0, 0, 0, ZoneOffset.UTC);

    /** Builds one session's statement stream with a clock that advances per statement. */
    private static final class Log {
        final List<LogEntry> entries = new ArrayList<>();
        double nowMs;
        String app = "PostgreSQL JDBC Driver";

        Log at(double ms) {
            nowMs = ms;
            return this;
        }

        Log app(String a) {
            app = a;
            return this;
        }

        /** A statement in {@code session} taking {@code durationMs}, logged at its end, then 0.2 ms app time. */
        Log run(String session, double durationMs, String sql, String... params) {
            return runPrepared(session, durationMs, null, sql, params);
        }

        Log runPrepared(String session, double durationMs, String prepared, String sql, String... params) {
            nowMs += durationMs;
            long nanos = Math.round(nowMs * 1_000_000);
            entries.add(LogEntry.builder()
                    .timestamp(T0.plusNanos(nanos))
                    .sessionId(session)
                    .pid(Math.abs(session.hashCode() % 30000))
                    .database("shop").user("app").application(app)
                    .statement(sql)
                    .phase(params.length > 0 || prepared != null ? StatementPhase.EXECUTE : StatementPhase.SIMPLE)
                    .preparedName(prepared)
                    .durationMs(durationMs)
                    .parameters(List.of(params))
                    .build());
            nowMs += 0.2;
            return this;
        }

        Log pause(double ms) {
            nowMs += ms;
            return this;
        }

        List<Finding> detect() {
            return detect(NPlusOneSettings.defaults());
        }

        List<Finding> detect(NPlusOneSettings settings) {
            return detect(settings, new SqlNormalizer());
        }

        List<Finding> detect(NPlusOneSettings settings, SqlNormalizer normalizer) {
            NPlusOneDetector d = new NPlusOneDetector(normalizer, settings);
            entries.forEach(d);
            return d.findings();
        }
    }

    private static final String H_BOOKS = "select b1_0.id,b1_0.author_id,b1_0.title from book b1_0";
    private static final String H_AUTHOR = "select a1_0.id,a1_0.name from author a1_0 where a1_0.id=$1";

    private static List<Finding> of(List<Finding> all, String category) {
        return all.stream().filter(f -> f.category().equals(category)).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> repeated(Finding f) {
        return (List<Map<String, Object>>) f.evidence().get("repeated");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Finding f, String key) {
        return (Map<String, Object>) f.evidence().get(key);
    }

    @Test
    void hibernateBelongsToLoopAfterItsParent() {
        Log log = new Log().run("s1", 0.4, H_BOOKS);
        for (int i = 1; i <= 10; i++) {
            log.run("s1", 0.1, H_AUTHOR, String.valueOf(i));
        }
        List<Finding> found = log.detect();
        assertEquals(1, found.size(), found.toString());
        Finding f = found.get(0);
        assertEquals("n-plus-one", f.category());
        assertEquals("n-plus-one", f.rule());
        assertEquals(1, f.evidence().get("occurrences"));
        assertEquals(10L, f.evidence().get("repetitions"));
        assertEquals(1.0, (double) f.evidence().get("total_ms"), 1e-6);
        assertEquals("s1", f.evidence().get("session"));
        assertEquals("shop", f.evidence().get("database"));
        assertEquals(H_BOOKS, map(f, "parent").get("query"));
        Map<String, Object> r = repeated(f).get(0);
        assertEquals(10L, r.get("count"));
        assertEquals(10L, r.get("distinct_params"));
        assertEquals("belongs-to", r.get("relation"));
        assertEquals("id", r.get("key_column"));
        assertEquals("hibernate", map(f, "orm").get("name"));
        assertTrue(((String) map(f, "orm").get("reason")).contains("a1_0"), f.evidence().toString());
        assertEquals("select a1_0.id,a1_0.name from author a1_0 where a1_0.id = ANY($1);", f.suggestion().sql());
        assertTrue(f.suggestion().text().contains("join fetch"), f.suggestion().text());
        assertTrue(f.suggestion().text().contains("@BatchSize"), f.suggestion().text());
        assertEquals(List.of("book", "author"), f.tables());
        assertEquals(2, f.fingerprints().size());
        assertTrue(f.id().startsWith("n-plus-one/") && f.id().contains(f.fingerprints().get(0))
                && f.id().contains(f.fingerprints().get(1)), f.id());
        assertNotNull(f.firstSeen());
        assertTrue(f.lastSeen().isAfter(f.firstSeen()));
        assertEquals(FindingSeverity.LOW, f.severity());
    }

    @Test
    void djangoBelongsToWithInlinedLiteralsAndLimit21RepeatsAuthors() {
        Log log = new Log().app("").run("s1", 1,
                "SELECT \"books_book\".\"id\", \"books_book\".\"title\", \"books_book\".\"author_id\" FROM \"books_book\" LIMIT 10");
        int[] authors = {1, 2, 1, 3, 2, 1, 3, 2, 1, 3};
        for (int a : authors) {
            log.run("s1", 0.3, "SELECT \"books_author\".\"id\", \"books_author\".\"name\" FROM \"books_author\" WHERE \"books_author\".\"id\" = "
                    + a + " LIMIT 21");
        }
        List<Finding> found = log.detect();
        assertEquals(1, found.size(), found.toString());
        Finding f = found.get(0);
        assertEquals("n-plus-one", f.category());
        assertEquals(3L, repeated(f).get(0).get("distinct_params"));
        assertEquals("django", map(f, "orm").get("name"));
        assertTrue(((String) map(f, "orm").get("reason")).contains("LIMIT 21"));
        assertTrue(f.suggestion().text().contains(".select_related(\"author\")"), f.suggestion().text());
        assertEquals("SELECT \"books_author\".\"id\", \"books_author\".\"name\" FROM \"books_author\" WHERE "
                + "\"books_author\".\"id\" = ANY($1);", f.suggestion().sql());
    }

    @Test
    void djangoHasManyWithoutLimit() {
        Log log = new Log().app("").run("s1", 1, "SELECT \"myapp_business\".\"id\", \"myapp_business\".\"name\" FROM \"myapp_business\"");
        for (int i = 1; i <= 6; i++) {
            log.run("s1", 0.3, "SELECT \"myapp_review\".\"id\", \"myapp_review\".\"stars\" FROM \"myapp_review\" WHERE \"myapp_review\".\"business_id\" = " + i);
        }
        Finding f = log.detect().get(0);
        assertEquals("has-many", repeated(f).get(0).get("relation"));
        assertEquals("business_id", repeated(f).get(0).get("key_column"));
        assertTrue(f.suggestion().text().contains("prefetch_related"), f.suggestion().text());
        assertTrue(f.suggestion().sql().contains("\"myapp_review\".\"business_id\" = ANY($1)"));
    }

    /** A Rails page in session s1: users, then each user's posts and their count. */
    private static Log railsPostsAndCounts() {
        Log log = new Log().app("puma: cluster worker 0").run("s1", 1, "SELECT \"users\".* FROM \"users\" LIMIT $1", "20");
        for (int i = 1; i <= 5; i++) {
            log.run("s1", 0.3, "SELECT \"posts\".* FROM \"posts\" WHERE \"posts\".\"user_id\" = $1", String.valueOf(i));
            log.run("s1", 0.3, "SELECT COUNT(*) FROM \"posts\" WHERE \"posts\".\"user_id\" = $1", String.valueOf(i));
        }
        return log;
    }

    @Test
    void railsHasManyAndCountInALoop() {
        Log log = railsPostsAndCounts();
        List<Finding> found = log.detect();
        assertEquals(1, found.size(), found.toString());
        Finding f = found.get(0);
        assertEquals(2, repeated(f).size());
        assertEquals("rails", map(f, "orm").get("name"));
        assertEquals("has-many", repeated(f).get(0).get("relation"));
        assertEquals("count", repeated(f).get(1).get("relation"));
        assertTrue(f.suggestion().text().contains(".includes(:posts)"), f.suggestion().text());
        assertTrue(f.suggestion().text().contains("counter_cache"), f.suggestion().text());
        assertTrue(f.suggestion().sql().contains(
                "SELECT \"posts\".\"user_id\", COUNT(*) FROM \"posts\" WHERE \"posts\".\"user_id\" = ANY($1) GROUP BY \"posts\".\"user_id\";"),
                f.suggestion().sql());
    }

    @Test
    void commonOrmLoopsAreWrittenUpWithoutTheSqlParser() {
        Log log = railsPostsAndCounts();
        log.pause(5_000).run("s2", 1, H_BOOKS);
        for (int i = 1; i <= 7; i++) {
            log.run("s2", 0.2, "select t1_0.book_id,t1_1.id,t1_1.name from book_tag t1_0 join tag t1_1 on t1_1.id=t1_0.tag_id where t1_0.book_id=$1",
                    String.valueOf(i));
        }
        SqlNormalizer normalizer = new SqlNormalizer();
        List<Finding> found = log.detect(NPlusOneSettings.defaults(), normalizer);
        assertEquals(2, found.size(), found.toString());
        List<Object> relations = found.stream().flatMap(f -> repeated(f).stream()).map(r -> r.get("relation")).toList();
        assertEquals(List.of("has-many", "count", "many-to-many"), relations);
        // the lexer told tables, joins and aggregates as the parser would: JSQLParser never ran
        assertEquals(0, normalizer.cachedShapes());
    }

    @Test
    void sqlalchemyParameterOnTheLeft() {
        Log log = new Log().app("").run("s1", 1, "SELECT users.id AS users_id, users.name AS users_name FROM users");
        for (int i = 1; i <= 5; i++) {
            log.run("s1", 0.3, "SELECT addresses.id AS addresses_id, addresses.email_address AS addresses_email_address, "
                    + "addresses.user_id AS addresses_user_id FROM addresses WHERE $1 = addresses.user_id", String.valueOf(i));
        }
        Finding f = log.detect().get(0);
        assertEquals("sqlalchemy", map(f, "orm").get("name"));
        assertTrue(f.suggestion().text().contains("selectinload(Users.addressess)") || f.suggestion().text().contains("selectinload("),
                f.suggestion().text());
        assertTrue(f.suggestion().sql().endsWith("FROM addresses WHERE addresses.user_id = ANY($1);"), f.suggestion().sql());
        assertEquals("user_id", repeated(f).get(0).get("key_column"));
    }

    @Test
    void manyToManyThroughAJoinTable() {
        Log log = new Log().run("s1", 1, H_BOOKS);
        for (int i = 1; i <= 7; i++) {
            log.run("s1", 0.2, "select t1_0.book_id,t1_1.id,t1_1.name from book_tag t1_0 join tag t1_1 on t1_1.id=t1_0.tag_id where t1_0.book_id=$1",
                    String.valueOf(i));
        }
        Finding f = log.detect().get(0);
        assertEquals("many-to-many", repeated(f).get(0).get("relation"));
        assertTrue(f.suggestion().sql().contains("where t1_0.book_id = ANY($1)"), f.suggestion().sql());
        assertTrue(f.tables().containsAll(List.of("book", "book_tag", "tag")), f.tables().toString());
    }

    @Test
    void prismaSingleKeyInListIsALoopButRealBatchesAreNot() {
        Log log = new Log().app("prisma").run("s1", 1, "SELECT \"public\".\"Post\".\"id\", \"public\".\"Post\".\"authorId\" FROM \"public\".\"Post\" WHERE 1=1 OFFSET $1", "0");
        for (int i = 1; i <= 5; i++) {
            log.run("s1", 0.2, "SELECT \"public\".\"User\".\"id\", \"public\".\"User\".\"name\" FROM \"public\".\"User\" WHERE \"public\".\"User\".\"id\" IN ($1) OFFSET $2",
                    String.valueOf(i), "0");
        }
        Finding f = log.detect().get(0);
        assertEquals("prisma", map(f, "orm").get("name"));
        assertTrue(f.suggestion().sql().contains("\"public\".\"User\".\"id\" = ANY($1)"), f.suggestion().sql());
        assertTrue(!f.suggestion().sql().contains("OFFSET"), f.suggestion().sql());
    }

    @Test
    void sequelizeLoopWithTrailingSemicolon() {
        Log log = new Log().app("").run("s1", 1, "SELECT \"id\", \"title\", \"userId\" FROM \"Posts\" AS \"Post\";");
        for (int i = 1; i <= 5; i++) {
            log.run("s1", 0.2, "SELECT \"id\", \"name\" FROM \"Users\" AS \"User\" WHERE \"User\".\"id\" = " + (i + 7) + ";");
        }
        Finding f = log.detect().get(0);
        assertEquals("sequelize", map(f, "orm").get("name"));
        assertTrue(f.suggestion().text().contains("include: [{ model:"), f.suggestion().text());
    }

    @Test
    void existsInALoop() {
        Log log = new Log().app("").run("s1", 1, "SELECT \"shop_customer\".\"id\" FROM \"shop_customer\"");
        for (int i = 1; i <= 5; i++) {
            log.run("s1", 0.2, "SELECT 1 AS \"a\" FROM \"shop_order\" WHERE \"shop_order\".\"customer_id\" = " + i + " LIMIT 1");
        }
        Finding f = log.detect().get(0);
        assertEquals("exists", repeated(f).get(0).get("relation"));
        assertEquals("SELECT DISTINCT \"shop_order\".\"customer_id\" FROM \"shop_order\" WHERE \"shop_order\".\"customer_id\" = ANY($1);",
                f.suggestion().sql());
        assertTrue(f.suggestion().text().contains(".exists()"));
    }

    @Test
    void twoLevelNestingIsOnePatternUnderTheOuterParent() {
        Log log = new Log().run("s1", 1, "select a1_0.id,a1_0.name from author a1_0");
        int book = 0;
        for (int a = 1; a <= 3; a++) {
            log.run("s1", 0.2, "select b1_0.author_id,b1_0.id,b1_0.title from book b1_0 where b1_0.author_id=$1", String.valueOf(a));
            for (int b = 0; b < 3; b++) {
                book++;
                log.run("s1", 0.2, "select r1_0.book_id,r1_0.id,r1_0.stars from review r1_0 where r1_0.book_id=$1", String.valueOf(book));
            }
        }
        // three authors are below min-repetitions 5 for the outer loop, so lower it for this case
        List<Finding> found = log.detect(NPlusOneSettings.defaults().withMinRepetitions(3));
        assertEquals(1, found.size(), found.toString());
        Finding f = found.get(0);
        assertEquals("select a1_0.id,a1_0.name from author a1_0", map(f, "parent").get("query"));
        assertEquals(2, repeated(f).size());
        assertEquals(3L, repeated(f).get(0).get("count"));
        assertEquals(9L, repeated(f).get(1).get("count"));
        assertEquals(12L, f.evidence().get("repetitions"));
        assertEquals(2, f.suggestion().sql().split("\n").length);
        assertTrue(f.suggestion().sql().contains("r1_0.book_id = ANY($1)"));
        // with the defaults only the inner loop is long enough; its parent is still the author list
        Finding inner = log.detect().get(0);
        assertEquals(1, repeated(inner).size());
        assertEquals(9L, repeated(inner).get(0).get("count"));
    }

    @Test
    void interleavedWriterAndPublisherLookupsAreOnePattern() {
        Log log = new Log().run("s1", 1, "select a1_0.id,a1_0.writer_id from article a1_0");
        for (int i = 1; i <= 6; i++) {
            log.run("s1", 0.2, "select w1_0.id,w1_0.name,w1_0.publisher_id from writer w1_0 where w1_0.id=$1", String.valueOf(i));
            log.run("s1", 0.2, "select p1_0.id,p1_0.name from publisher p1_0 where p1_0.id=$1", String.valueOf(100 + i));
        }
        List<Finding> found = log.detect();
        assertEquals(1, found.size(), found.toString());
        assertEquals(2, repeated(found.get(0)).size());
        assertEquals(12L, found.get(0).evidence().get("repetitions"));
        assertTrue(found.get(0).title().contains("`writer`, `publisher`"), found.get(0).title());
    }

    @Test
    void jdbcSwitchFromUnnamedToNamedStatementIsOneShape() {
        Log log = new Log().runPrepared("s1", 1, null, "select id, customer_id from orders where placed > $1", "2026-01-01");
        for (int i = 1; i <= 8; i++) {
            log.runPrepared("s1", 0.1, i < 5 ? null : "S_1", "select id, name from customer where id = $1", String.valueOf(i));
        }
        List<Finding> found = log.detect();
        assertEquals(1, found.size());
        assertEquals(8L, repeated(found.get(0)).get(0).get("count"));
        assertEquals("jdbc", map(found.get(0), "orm").get("name"));
        assertTrue(found.get(0).suggestion().text().contains("createArrayOf"));
    }

    @Test
    void theParentMayBeAPauseBeforeTheLoopButNotTooLong() {
        Log warm = new Log().run("s1", 1, H_BOOKS).pause(400);
        Log cold = new Log().run("s1", 1, H_BOOKS).pause(1500);
        for (int i = 1; i <= 5; i++) {
            warm.run("s1", 0.1, H_AUTHOR, String.valueOf(i));
            cold.run("s1", 0.1, H_AUTHOR, String.valueOf(i));
        }
        assertEquals(H_BOOKS, map(warm.detect().get(0), "parent").get("query"));
        Finding orphan = cold.detect().get(0);
        assertNull(orphan.evidence().get("parent"));
        assertEquals(List.of("author"), orphan.tables());
        assertTrue(orphan.id().startsWith("n-plus-one/-/"), orphan.id());
    }

    @Test
    void aLoopGoesOnAcrossAShortStallButRequestsDoNotJoin() {
        Log stalled = new Log().run("s1", 1, H_BOOKS);
        Log requests = new Log();
        for (int i = 1; i <= 8; i++) {
            stalled.run("s1", 0.1, H_AUTHOR, String.valueOf(i));
            if (i == 4) {
                stalled.pause(300);
            }
            requests.run("s1", 0.4, H_BOOKS).run("s1", 0.1, H_AUTHOR, String.valueOf(i)).pause(300);
        }
        List<Finding> found = stalled.detect();
        assertEquals(1, found.size(), found.toString());
        assertEquals(8L, found.get(0).evidence().get("repetitions"));
        assertEquals(List.of(), requests.detect());
    }

    @Test
    void bindValuesThatWereNotLoggedCountAsALoopNotAsDuplicates() {
        Log log = new Log().run("s1", 1, H_BOOKS);
        for (int i = 1; i <= 6; i++) {
            log.run("s1", 0.1, H_AUTHOR);
        }
        List<Finding> found = log.detect();
        assertEquals(List.of("n-plus-one"), found.stream().map(Finding::category).toList());
        assertEquals(6L, repeated(found.get(0)).get(0).get("count"));
    }

    @Test
    void slowStatementsInALoopDoNotBreakTheBurst() {
        Log log = new Log().run("s1", 5, H_BOOKS);
        for (int i = 1; i <= 5; i++) {
            log.run("s1", 400, H_AUTHOR, String.valueOf(i));
        }
        Finding f = log.detect().get(0);
        assertEquals(2000.0, (double) f.evidence().get("total_ms"), 1e-6);
        assertEquals(FindingSeverity.HIGH, f.severity());
    }

    // --- negatives ------------------------------------------------------------------------------

    @Test
    void notAcrossSessions() {
        Log log = new Log();
        for (int i = 1; i <= 8; i++) {
            log.run("s" + (i % 2), 0.1, H_AUTHOR, String.valueOf(i));
        }
        for (int i = 1; i <= 10; i++) {
            log.run("other" + i, 0.1, H_AUTHOR, String.valueOf(i));
        }
        // eight in a row in time, but four per session
        assertEquals(List.of(), log.detect());
    }

    @Test
    void aLoopInEachOfTwoSessionsIsOneFindingWithTwoOccurrences() {
        Log log = new Log();
        for (String s : List.of("s1", "s2")) {
            log.run(s, 1, H_BOOKS);
            for (int i = 1; i <= 5; i++) {
                log.run(s, 0.1, H_AUTHOR, String.valueOf(i));
            }
        }
        List<Finding> found = log.detect();
        assertEquals(1, found.size());
        assertEquals(2, found.get(0).evidence().get("occurrences"));
        assertEquals(2, found.get(0).evidence().get("sessions"));
    }

    @Test
    void notTheSameLookupSecondsApart() {
        Log log = new Log();
        for (int i = 1; i <= 10; i++) {
            log.run("s1", 0.4, H_BOOKS).run("s1", 0.1, H_AUTHOR, String.valueOf(i)).pause(2000);
        }
        assertEquals(List.of(), log.detect());
    }

    @Test
    void notBatchLoads() {
        Log log = new Log().run("s1", 1, H_BOOKS);
        for (int batch = 0; batch < 6; batch++) {
            String[] ids = new String[10];
            StringBuilder in = new StringBuilder();
            for (int j = 0; j < 10; j++) {
                ids[j] = String.valueOf(batch * 10 + j);
                in.append(j == 0 ? "" : ",").append('$').append(j + 1);
            }
            log.run("s1", 0.3, "select a1_0.id,a1_0.name from author a1_0 where a1_0.id in (" + in + ")", ids);
            log.run("s1", 0.3, "select b1_0.author_id,b1_0.id from book b1_0 where b1_0.author_id = any ($1)",
                    "{" + String.join(",", ids) + "}");
            log.run("s1", 0.3, "SELECT authors.* FROM authors WHERE authors.id IN (" + (batch * 3 + 1) + ", "
                    + (batch * 3 + 2) + ", " + (batch * 3 + 3) + ")");
        }
        assertEquals(List.of(), log.detect());
    }

    @Test
    void aBatchOfTheSameFingerprintBeforeTheLoopDoesNotHideItOrSpoilTheFix() {
        // the normalizer gives `= any ($1)` and `=$1` one fingerprint, as pg_query does
        Log log = new Log().run("s1", 1, H_BOOKS)
                .run("s1", 0.3, "select a1_0.id,a1_0.name from author a1_0 where a1_0.id = any ($1)", "{1,2,3}")
                .pause(2000)
                .run("s1", 1, H_BOOKS);
        for (int i = 1; i <= 5; i++) {
            log.run("s1", 0.1, H_AUTHOR, String.valueOf(i));
        }
        List<Finding> found = log.detect();
        assertEquals(1, found.size(), found.toString());
        assertEquals(H_AUTHOR, repeated(found.get(0)).get(0).get("query"));
        assertEquals(5L, repeated(found.get(0)).get(0).get("count"));
        assertEquals("select a1_0.id,a1_0.name from author a1_0 where a1_0.id = ANY($1);", found.get(0).suggestion().sql());
    }

    @Test
    void notAJoinEagerLoad() {
        Log log = new Log().run("s1", 3, "select b1_0.id,a1_0.id,a1_0.name,b1_0.title from book b1_0 join author a1_0 on a1_0.id=b1_0.author_id");
        assertEquals(List.of(), log.detect());
    }

    @Test
    void notBelowMinRepetitions() {
        Log log = new Log().run("s1", 1, H_BOOKS);
        for (int i = 1; i <= 4; i++) {
            log.run("s1", 0.1, H_AUTHOR, String.valueOf(i));
        }
        assertEquals(List.of(), log.detect());
    }

    @Test
    void notStatementsPgsleuthRanItself() {
        Log byApp = new Log().app("pgsleuth");
        Log byComment = new Log();
        for (int i = 1; i <= 6; i++) {
            byApp.run("s1", 0.1, H_AUTHOR, String.valueOf(i));
            byComment.run("s1", 0.1, "/* pgsleuth */ EXPLAIN (FORMAT JSON) " + H_AUTHOR, String.valueOf(i));
        }
        assertEquals(List.of(), byApp.detect());
        assertEquals(List.of(), byComment.detect());
    }

    @Test
    void sameStatementSameParametersIsADuplicateNotALoop() {
        Log log = new Log().run("s1", 1, H_BOOKS);
        for (int i = 1; i <= 6; i++) {
            log.run("s1", 0.5, "select c1_0.id,c1_0.rate from currency c1_0 where c1_0.code=$1", "EUR");
        }
        List<Finding> found = log.detect();
        assertEquals(1, found.size(), found.toString());
        Finding f = found.get(0);
        assertEquals("duplicate-query", f.category());
        assertEquals("duplicate-query", f.rule());
        assertEquals(5L, f.evidence().get("repetitions"));
        assertEquals(2.5, (double) f.evidence().get("total_ms"), 1e-6);
        assertEquals(1L, repeated(f).get(0).get("distinct_params"));
        assertNull(f.suggestion().sql());
        assertTrue(f.id().startsWith("duplicate-query/"));
    }

    // --- identity, bounds, severity ---------------------------------------------------------------

    private static Log authorLoops(int loops, double durationMs) {
        Log log = new Log();
        for (int l = 0; l < loops; l++) {
            log.run("s" + l, 1, H_BOOKS);
            for (int i = 1; i <= 5 + l; i++) {
                log.run("s" + l, durationMs, H_AUTHOR, String.valueOf(i));
            }
            log.pause(5000);
        }
        return log;
    }

    /** Three author loops after their book list, and one currency lookup run three times with the same code. */
    private static Log loopsAndADuplicate() {
        return authorLoops(3, 0.1)
                .run("x", 1, "select c1_0.id from currency c1_0 where c1_0.code=$1", "EUR")
                .run("x", 1, "select c1_0.id from currency c1_0 where c1_0.code=$1", "EUR")
                .run("x", 1, "select c1_0.id from currency c1_0 where c1_0.code=$1", "EUR");
    }

    @Test
    void idsAreStableFromRunToRunAndOrderIsDeterministic() {
        Log log = loopsAndADuplicate();
        List<Finding> first = log.detect();
        List<Finding> second = log.detect();
        assertEquals(first.stream().map(Finding::id).toList(), second.stream().map(Finding::id).toList());
        assertEquals(first, second);
        assertEquals(List.of("n-plus-one", "duplicate-query"), first.stream().map(Finding::category).toList());
    }

    /** A pipeline with workers has the shapes of each new pattern parsed there, once per shape, ahead of the findings. */
    @Test
    void theOutlinesOfEachNewPatternAreWorkedOutInTheBackgroundOnce() {
        Log log = loopsAndADuplicate();
        SqlNormalizer normalizer = new SqlNormalizer();
        List<String> outlinedInBackground = new ArrayList<>();
        NPlusOneDetector d = new NPlusOneDetector(normalizer, NPlusOneSettings.defaults(), task -> {
            int before = normalizer.cachedOutlines();
            task.run();
            outlinedInBackground.add(before + " -> " + normalizer.cachedOutlines());
        });
        log.entries.forEach(d);
        List<Finding> found = d.findings();
        // the book parent and the author lookup of one loop pattern, the currency duplicate
        assertEquals(List.of("0 -> 1", "1 -> 2", "2 -> 3"), outlinedInBackground);
        assertEquals(log.detect(), found);
    }

    @Test
    @SuppressWarnings("unchecked")
    void worstLoopsComeFirstAndAreCapped() {
        Finding f = authorLoops(5, 1).detect().get(0);
        assertEquals(5, f.evidence().get("occurrences"));
        assertEquals(5L + 6 + 7 + 8 + 9, f.evidence().get("repetitions"));
        List<Map<String, Object>> worst = (List<Map<String, Object>>) f.evidence().get("worst");
        assertEquals(3, worst.size());
        assertEquals(List.of(9, 8, 7), worst.stream().map(w -> w.get("repetitions")).toList());
        assertEquals("s4", worst.get(0).get("session"));
        assertEquals(9.0, (double) worst.get(0).get("duration_ms"), 1e-6);
        assertNotNull(worst.get(0).get("start"));
        assertEquals(7.0, (double) f.evidence().get("mean_ms"), 1e-6);
        assertEquals("s4", f.evidence().get("session"));
    }

    @Test
    void theWorstLoopsTimesAreWrittenAsTheReportsOtherTimes() throws Exception {
        // the first lookup ends on a whole minute, which OffsetDateTime.toString writes without seconds
        Log log = new Log().at(-10).run("s1", 1, H_BOOKS);
        log.run("s1", 8.8, H_AUTHOR, "1");
        for (int i = 2; i <= 6; i++) {
            log.run("s1", 0.1, H_AUTHOR, String.valueOf(i));
        }
        Report report = new ReportBuilder("test").findings(log.detect()).build();
        JsonNode finding = new ObjectMapper().readTree(new JsonReportWriter(false, false).toJson(report))
                .get("findings").get(0);
        assertEquals("2026-03-01T12:00:00Z", finding.get("first_seen").asText());
        assertEquals(finding.get("first_seen").asText(), finding.at("/evidence/worst/0/start").asText());
    }

    @Test
    void severityFollowsTheConfiguredLoopTime() {
        Log log = authorLoops(1, 10);
        assertEquals(FindingSeverity.MEDIUM, log.detect().get(0).severity());
        NPlusOneSettings strict = NPlusOneSettings.defaults().withSeverityThresholds(1, 10, 40);
        assertEquals(FindingSeverity.CRITICAL, log.detect(strict).get(0).severity());
    }

    @Test
    void idleAndDisconnectedSessionsAreForgotten() {
        NPlusOneDetector d = new NPlusOneDetector(new SqlNormalizer(), NPlusOneSettings.defaults());
        Log log = new Log();
        for (int s = 0; s < 1000; s++) {
            log.run("s" + s, 0.1, H_AUTHOR, "1");
        }
        log.pause(61_000).run("late", 0.1, H_AUTHOR, "1");
        log.entries.forEach(d);
        assertEquals(1, d.openSessions());
        d.accept(LogEntry.builder().timestamp(T0.plusSeconds(62)).sessionId("late")
                .message("disconnection: session time: 0:00:01.000 user=app database=shop host=[local]").build());
        assertEquals(0, d.openSessions());
    }

    @Test
    void aLoopFinishedBeforeItsSessionIsForgottenIsStillReported() {
        Log log = authorLoops(1, 0.1).pause(120_000);
        log.run("other", 1, H_BOOKS);
        NPlusOneDetector d = new NPlusOneDetector(new SqlNormalizer(), NPlusOneSettings.defaults());
        log.entries.forEach(d);
        assertEquals(1, d.openSessions());
        assertEquals(1, d.findings().size());
    }

    @Test
    void settingsRejectNonsense() {
        NPlusOneSettings d = NPlusOneSettings.defaults();
        assertEquals(5, d.minRepetitions());
        assertEquals(java.time.Duration.ofMillis(100), d.maxGap());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> d.withMinRepetitions(1));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> d.withSeverityThresholds(100, 10, 1000));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> d.withMaxGap(java.time.Duration.ofMinutes(5)));
    }

    @Test
    void sequentialLoopsOverOneParentAreTwoFindingsWithThatParent() {
        Log log = new Log().run("s1", 1, H_BOOKS);
        for (int i = 1; i <= 5; i++) {
            log.run("s1", 0.1, H_AUTHOR, String.valueOf(i));
        }
        for (int i = 1; i <= 5; i++) {
            log.run("s1", 0.1, "select r1_0.book_id,r1_0.id from review r1_0 where r1_0.book_id=$1", String.valueOf(i));
        }
        List<Finding> found = log.detect();
        assertEquals(2, found.size(), found.toString());
        for (Finding f : found) {
            assertEquals(H_BOOKS, map(f, "parent").get("query"));
        }
    }

    @Test
    void updatesInALoopAreNoReadLoop() {
        Log log = new Log();
        for (int i = 1; i <= 10; i++) {
            log.run("s1", 0.1, "update author set name = $1 where id = $2", "x" + i, String.valueOf(i));
        }
        assertEquals(List.of(), log.detect());
    }
}
