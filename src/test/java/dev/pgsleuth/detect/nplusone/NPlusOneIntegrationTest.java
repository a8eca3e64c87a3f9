package dev.pgsleuth.detect.nplusone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.pgsleuth.detect.nplusone.Model.Author;
import dev.pgsleuth.detect.nplusone.Model.Book;
import dev.pgsleuth.model.Finding;
import dev.pgsleuth.model.LogEntry;
import dev.pgsleuth.normalize.SqlNormalizer;
import dev.pgsleuth.parse.LogFormat;
import dev.pgsleuth.parse.LogParser;
import dev.pgsleuth.parse.ParseOptions;
import dev.pgsleuth.parse.StatementInterpreter;
import dev.pgsleuth.source.LogInput;
import dev.pgsleuth.report.Baseline;
import dev.pgsleuth.report.JsonReportWriter;
import dev.pgsleuth.report.ReportBuilder;
import dev.pgsleuth.testing.RealPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.hibernate.cfg.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * N+1 detection on the log a real PostgreSQL wrote while real client code ran: Hibernate 7 with
 * lazy associations, plain JDBC loops, and the look-alikes that are no N+1. The stderr, csvlog
 * and jsonlog files go through the project's readers and statement interpreter. Every scenario runs on
 * its own connection whose application_name is the scenario's name, so findings can be traced
 * back to scenarios and precision and recall computed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NPlusOneIntegrationTest {
    private static final String LOOP = "n-plus-one";
    private static final String DUPLICATE = "duplicate-query";
    private RealPostgres pg;
    private String url;
    private SessionFactory lazy;
    private SessionFactory batched;
    /** Scenario name → the category of finding it must give, or null for a negative scenario. */
    private final Map<String, String> scenarios = new LinkedHashMap<>();

    @BeforeAll
    void runScenarios() throws Exception {
        pg = RealPostgres.builder().logName("nplusone").start();
        url = pg.jdbcUrl("postgres");
        lazy = sessionFactory("create", null);
        batched = sessionFactory("none", "4");
        loadData();
        pause();

        hibernate("belongs-to", true, s -> {
            for (Book b : s.createQuery("from Book b order by b.id", Book.class).list()) {
                b.getAuthor().getName();
            }
        });
        hibernate("has-many", true, s -> {
            for (Author a : s.createQuery("from Author a order by a.id", Author.class).list()) {
                a.getBooks().size();
            }
        });
        hibernate("many-to-many", true, s -> {
            for (Book b : s.createQuery("from Book b order by b.id", Book.class).list()) {
                b.getTags().size();
            }
        });
        hibernate("count-in-loop", true, s -> {
            for (Author a : s.createQuery("from Author a order by a.id", Author.class).list()) {
                s.createQuery("select count(b) from Book b where b.author = :a", Long.class).setParameter("a", a)
                        .getSingleResult();
            }
        });
        hibernate("two-level-nesting", true, s -> {
            for (Author a : s.createQuery("from Author a order by a.id", Author.class).list()) {
                for (Book b : a.getBooks()) {
                    b.getReviews().size();
                }
            }
        });
        hibernate("interleaved", true, s -> {
            for (Book b : s.createQuery("from Book b order by b.id", Book.class).list()) {
                b.getAuthor().getName();
                b.getAuthor().getPublisher().getName();
            }
        });
        jdbc("jdbc-prepared-loop", true, c -> {
            List<Long> ids = ids(c, "select id from author order by id");
            try (PreparedStatement ps = c.prepareStatement("select id, title from book where author_id = ?")) {
                for (long id : ids) {
                    ps.setLong(1, id);
                    drain(ps.executeQuery());
                }
            }
        });
        jdbc("jdbc-literal-loop", true, c -> {
            List<Long> ids = ids(c, "select id from author order by id");
            try (Statement st = c.createStatement()) {
                for (long id : ids) {
                    drain(st.executeQuery("select name from publisher where id = " + id));
                }
            }
        });

        jdbc("jdbc-key-on-the-left", true, c -> {
            List<Long> ids = ids(c, "select id from author order by id");
            try (PreparedStatement ps = c.prepareStatement("select id, title from book where ? = author_id")) {
                for (long id : ids) {
                    ps.setLong(1, id);
                    drain(ps.executeQuery());
                }
            }
        });
        jdbc("jdbc-single-key-in-list", true, c -> {
            List<Long> ids = ids(c, "select author_id from book order by id");
            try (PreparedStatement ps = c.prepareStatement("select id, name from author where id in (?) offset ?")) {
                for (long id : ids) {
                    ps.setLong(1, id);
                    ps.setInt(2, 0);
                    drain(ps.executeQuery());
                }
            }
        });
        jdbc("jdbc-duplicate", DUPLICATE, c -> {
            try (PreparedStatement ps = c.prepareStatement("select id, name from publisher where name = ?")) {
                for (int i = 0; i < 4; i++) {
                    ps.setString(1, "publisher 3");
                    drain(ps.executeQuery());
                }
            }
        });

        hibernate("join-fetch", false, s -> {
            for (Author a : s.createQuery("select distinct a from Author a left join fetch a.books order by a.id",
                    Author.class).list()) {
                a.getBooks().size();
            }
        });
        batchedHibernate("batch-size", s -> {
            for (Book b : s.createQuery("from Book b order by b.id", Book.class).list()) {
                b.getAuthor().getName();
                b.getReviews().size();
            }
        });
        jdbc("in-list-batches", false, c -> {
            try (Statement st = c.createStatement()) {
                drain(st.executeQuery("select id, author_id from book order by id"));
                for (int batch = 0; batch < 6; batch++) {
                    int first = batch * 5 + 1;
                    drain(st.executeQuery("select id, stars from review where book_id in (" + first + ", " + (first + 1)
                            + ", " + (first + 2) + ", " + (first + 3) + ", " + (first + 4) + ")"));
                }
            }
        });
        jdbc("pooled-requests", false, c -> {
            try (PreparedStatement parent = c.prepareStatement("select id, title from book where id = ?");
                    PreparedStatement ps = c.prepareStatement("select id, name from author where id = ?")) {
                for (long id = 1; id <= 8; id++) {
                    parent.setLong(1, id * 3);
                    drain(parent.executeQuery());
                    ps.setLong(1, id);
                    drain(ps.executeQuery());
                    // longer than the burst gap, shorter than the look-back: the next request
                    sleep(150);
                }
            }
        });
        scenarios.put("separate-connections", null);
        for (long id = 1; id <= 8; id++) {
            try (Connection c = connect("separate-connections");
                    PreparedStatement ps = c.prepareStatement("select id, name from author where id = ?")) {
                ps.setLong(1, id);
                drain(ps.executeQuery());
            }
        }
        pause();
        jdbc("spaced-out", false, c -> {
            try (PreparedStatement ps = c.prepareStatement("select id, name from author where id = ?")) {
                for (long id = 1; id <= 5; id++) {
                    ps.setLong(1, id);
                    drain(ps.executeQuery());
                    sleep(1000);
                }
            }
        });

        pg.awaitLogged();
    }

    @AfterAll
    void stop() {
        if (lazy != null) {
            lazy.close();
        }
        if (batched != null) {
            batched.close();
        }
        if (pg != null) {
            pg.close();
        }
    }

    private SessionFactory sessionFactory(String ddl, String batchSize) {
        Configuration cfg = new Configuration();
        for (Class<?> c : Model.class.getDeclaredClasses()) {
            cfg.addAnnotatedClass(c);
        }
        cfg.setProperty("hibernate.connection.url", url);
        cfg.setProperty("hibernate.connection.username", RealPostgres.USER);
        cfg.setProperty("hibernate.connection.ApplicationName", "bootstrap");
        cfg.setProperty("hibernate.hbm2ddl.auto", ddl);
        if (batchSize != null) {
            cfg.setProperty("hibernate.default_batch_fetch_size", batchSize);
        }
        return cfg.buildSessionFactory();
    }

    private void loadData() throws Exception {
        try (Connection c = connect("setup"); Statement s = c.createStatement()) {
            s.execute("insert into publisher(id, name) select g, 'publisher ' || g from generate_series(1, 10) g");
            s.execute("insert into author(id, name, publisher_id) select g, 'author ' || g, g from generate_series(1, 10) g");
            s.execute("insert into book(id, title, author_id) select g, 'book ' || g, (g - 1) / 3 + 1 from generate_series(1, 30) g");
            s.execute("insert into review(id, stars, book_id) select g, g % 5, (g - 1) / 2 + 1 from generate_series(1, 60) g");
            s.execute("insert into tag(id, name) select g, 'tag ' || g from generate_series(1, 5) g");
            s.execute("insert into book_tag(book_id, tag_id) select b, (b % 5) + 1 from generate_series(1, 30) b "
                    + "union all select b, ((b + 1) % 5) + 1 from generate_series(1, 30) b");
        }
    }

    private Connection connect(String application) throws Exception {
        return pg.connect(application);
    }

    private interface Body<T> {
        void run(T t) throws Exception;
    }

    private void jdbc(String name, boolean positive, Body<Connection> body) throws Exception {
        jdbc(name, positive ? LOOP : null, body);
    }

    private void jdbc(String name, String expected, Body<Connection> body) throws Exception {
        scenarios.put(name, expected);
        try (Connection c = connect(name)) {
            body.run(c);
        }
        pause();
    }

    private void hibernate(String name, boolean positive, Consumer<Session> body) throws Exception {
        inSession(lazy, name, positive, body);
    }

    private void batchedHibernate(String name, Consumer<Session> body) throws Exception {
        inSession(batched, name, false, body);
    }

    private void inSession(SessionFactory sf, String name, boolean positive, Consumer<Session> body) throws Exception {
        scenarios.put(name, positive ? LOOP : null);
        try (Connection c = connect(name); Session s = sf.withOptions().connection(c).openSession()) {
            var tx = s.beginTransaction();
            body.accept(s);
            tx.commit();
        }
        pause();
    }

    /** Longer than the detector's max gap, so scenarios never share a burst. */
    private static void pause() {
        sleep(300);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<Long> ids(Connection c, String sql) throws Exception {
        List<Long> ids = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }

    private static void drain(ResultSet rs) throws Exception {
        try (rs) {
            while (rs.next()) {
                rs.getObject(1);
            }
        }
    }

    /** The log file of one format through the project's reader and statement interpreter. */
    private List<LogEntry> entries(String format) {
        List<LogEntry> out = new ArrayList<>();
        StatementInterpreter interpreter = new StatementInterpreter(out::add);
        var options = switch (format) {
            case "stderr" -> new ParseOptions(LogFormat.STDERR, pg.logLinePrefix());
            case "csvlog" -> new ParseOptions(LogFormat.CSVLOG, null);
            default -> new ParseOptions(LogFormat.JSONLOG, null);
        };
        Path file = switch (format) {
            case "stderr" -> pg.stderrLog();
            case "csvlog" -> pg.csvLog();
            default -> pg.jsonLog();
        };
        var result = new LogParser().read(LogInput.of(file), options, interpreter);
        interpreter.finish();
        assertEquals(0, result.unparsed().count(), format + " read without loss");
        return out;
    }

    /** Findings of one format, with the scenarios each one comes from. */
    private record Run(List<Finding> findings, Map<Finding, Set<String>> origins) {
    }

    @SuppressWarnings("unchecked")
    private Run detect(String format) throws Exception {
        List<LogEntry> entries = entries(format);
        Map<String, String> applicationOfSession = new TreeMap<>();
        for (LogEntry e : entries) {
            if (e.application() != null && !e.application().isEmpty()) {
                applicationOfSession.putIfAbsent(e.sessionKey(), e.application());
            }
        }
        NPlusOneDetector detector = new NPlusOneDetector(new SqlNormalizer(),
                NPlusOneSettings.defaults().withWorstInstances(100));
        entries.forEach(detector);
        List<Finding> findings = detector.findings();
        Map<Finding, Set<String>> origins = new LinkedHashMap<>();
        for (Finding f : findings) {
            Set<String> from = new LinkedHashSet<>();
            for (Map<String, Object> w : (List<Map<String, Object>>) f.evidence().get("worst")) {
                from.add(applicationOfSession.getOrDefault((String) w.get("session"), "?"));
            }
            origins.put(f, from);
        }
        return new Run(findings, origins);
    }

    @ParameterizedTest
    @ValueSource(strings = {"stderr", "csvlog", "jsonlog"})
    void everyNPlusOneScenarioIsFoundAndNoNegativeOne(String format) throws Exception {
        Run run = detect(format);
        int truePositives = 0;
        Set<String> found = new LinkedHashSet<>();
        StringBuilder report = new StringBuilder();
        for (Finding f : run.findings()) {
            Set<String> from = run.origins().get(f);
            boolean right = from.stream().allMatch(s -> f.category().equals(scenarios.get(s)));
            if (right) {
                truePositives++;
                found.addAll(from);
            }
            report.append(right ? "TP " : "FP ").append(f.category()).append(' ').append(from).append(' ')
                    .append(f.evidence().get("repetitions")).append(" reps: ").append(f.title()).append('\n');
        }
        List<String> positives = scenarios.entrySet().stream().filter(e -> e.getValue() != null)
                .map(Map.Entry::getKey).toList();
        long recalled = positives.stream().filter(found::contains).count();
        double precision = run.findings().isEmpty() ? 1 : truePositives / (double) run.findings().size();
        double recall = recalled / (double) positives.size();
        System.out.printf("%s: precision %.3f (%d of %d findings), recall %.3f (%d of %d positive scenarios), "
                + "%d negative scenarios%n%s", format, precision, truePositives, run.findings().size(), recall,
                recalled, positives.size(), scenarios.size() - positives.size(), report);
        for (var e : scenarios.entrySet()) {
            if (e.getValue() == null) {
                String negative = e.getKey();
                assertTrue(run.findings().stream().noneMatch(f -> run.origins().get(f).contains(negative)),
                        negative + " must give no finding:\n" + report);
            }
        }
        assertEquals(run.findings().size(), truePositives, report.toString());
        assertTrue(recall >= 0.95, "recall " + recall + "\n" + report);
    }

    @Test
    void theNegativeScenariosReallyRanWhatTheyShould() throws Exception {
        List<LogEntry> log = entries("csvlog");
        assertTrue(executions(log, "batch-size", "= any ($1)") >= 5, "Hibernate batch loads with an array");
        assertEquals(1, executions(log, "join-fetch", "left join book"), "one JOIN instead of the loop");
        assertEquals(0, executions(log, "join-fetch", "where b1_0.author_id=$1"));
        assertEquals(8, log.stream().filter(e -> e.isExecution() && "separate-connections".equals(e.application()))
                .map(LogEntry::sessionKey).distinct().count(), "eight sessions");
        assertEquals(5, executions(log, "spaced-out", "from author where id = $1"));
        assertEquals(6, executions(log, "in-list-batches", "where book_id in ("));
        assertEquals(8, executions(log, "pooled-requests", "from author where id = $1"));
        assertTrue(log.stream().anyMatch(e -> e.isExecution() && "jdbc-prepared-loop".equals(e.application())
                && e.preparedName() != null), "pgjdbc switched to a named statement within the loop");
    }

    private static long executions(List<LogEntry> log, String application, String sqlPart) {
        return log.stream().filter(e -> e.isExecution() && application.equals(e.application())
                && e.statement().contains(sqlPart)).count();
    }

    @Test
    void findingsNameParentRepeatedShapesAndHibernate() throws Exception {
        Run run = detect("csvlog");
        Finding belongsTo = only(run, "belongs-to");
        assertEquals("hibernate", ((Map<?, ?>) belongsTo.evidence().get("orm")).get("name"));
        assertTrue(belongsTo.suggestion().sql().contains("= ANY($1)"), belongsTo.suggestion().sql());
        assertTrue(belongsTo.suggestion().text().contains("join fetch"));
        assertTrue(((Map<?, ?>) belongsTo.evidence().get("parent")).get("query").toString().contains("from book"));
        assertEquals(List.of("book", "author"), belongsTo.tables());

        for (String scenario : List.of("has-many", "many-to-many", "count-in-loop", "two-level-nesting", "interleaved",
                "jdbc-prepared-loop", "jdbc-literal-loop")) {
            assertTrue(only(run, scenario).evidence().get("parent") != null, scenario + " has its parent");
        }

        Finding nested = only(run, "two-level-nesting");
        assertEquals(2, ((List<?>) nested.evidence().get("repeated")).size());
        assertEquals(40L, nested.evidence().get("repetitions"), "10 book collections + 30 review collections");

        Finding interleaved = only(run, "interleaved");
        assertEquals(2, ((List<?>) interleaved.evidence().get("repeated")).size());

        assertEquals("select id, title from book where author_id = ANY($1);",
                only(run, "jdbc-key-on-the-left").suggestion().sql());
        assertEquals("select id, name from author where id = ANY($1);",
                only(run, "jdbc-single-key-in-list").suggestion().sql());
        Finding counting = only(run, "count-in-loop");
        assertTrue(counting.suggestion().sql().contains("GROUP BY"), counting.suggestion().sql());

        Finding prepared = only(run, "jdbc-prepared-loop");
        assertEquals(10L, prepared.evidence().get("repetitions"), "unnamed and S_n executions are one shape");
    }

    @Test
    void theThreeFormatsGiveTheSameFindings() throws Exception {
        List<String> stderr = detect("stderr").findings().stream().map(Finding::id).toList();
        assertEquals(stderr, detect("csvlog").findings().stream().map(Finding::id).toList());
        assertEquals(stderr, detect("jsonlog").findings().stream().map(Finding::id).toList());
    }

    @Test
    void theFindingsMakeAValidReportAndABaselineKnowsThemInALaterRun(@TempDir Path dir) throws Exception {
        List<Finding> findings = detect("csvlog").findings();
        String json = new JsonReportWriter().toJson(new ReportBuilder("test").findings(findings).build());
        Schema schema;
        try (var in = getClass().getResourceAsStream("/schema/pgsleuth-report-1.schema.json")) {
            schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        }
        assertEquals(List.of(), schema.validate(new ObjectMapper().readTree(json)), json);
        Path earlier = dir.resolve("earlier.json");
        Files.writeString(earlier, json);
        Baseline baseline = Baseline.read(earlier);
        for (Finding f : detect("jsonlog").findings()) {
            assertTrue(baseline.isKnown(f.id()), f.id());
        }
    }

    private static Finding only(Run run, String scenario) {
        List<Finding> f = run.findings().stream().filter(x -> run.origins().get(x).contains(scenario)).toList();
        assertEquals(1, f.size(), scenario + ": " + f);
        return f.get(0);
    }
}
