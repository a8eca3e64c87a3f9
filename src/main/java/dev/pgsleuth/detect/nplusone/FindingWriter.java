package dev.pgsleuth.detect.nplusone;

import dev.pgsleuth.model.Finding;
import dev.pgsleuth.model.FindingSeverity;
import dev.pgsleuth.normalize.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Turns a {@link Pattern} into a report {@link Finding}: evidence, severity and the fix. */
final class FindingWriter {
    static final String LOOP = "n-plus-one";
    static final String DUPLICATE = "duplicate-query";

    /** How a repeated statement relates to its parent rows. */
    enum Relation {
        BELONGS_TO("belongs-to"), HAS_MANY("has-many"), MANY_TO_MANY("many-to-many"), COUNT("count"),
        EXISTS("exists");

        final String label;

        Relation(String label) {
            this.label = label;
        }
    }

    private final Normalizer normalizer;
    private final NPlusOneSettings settings;
    /*
     * What a shape's text says, kept for the writer's life: a log's loops share a few shapes (512
     * loops of the benchmark log repeat 25 shapes under 81 parents), and findings may be written
     * on several threads at once.
     */
    private final Map<Keyed, Derived> derived = new ConcurrentHashMap<>();
    private final Map<ShapeInfo, Optional<String>> firstTables = new ConcurrentHashMap<>();
    private final Map<String, Optional<Orm>> orms = new ConcurrentHashMap<>();

    FindingWriter(Normalizer normalizer, NPlusOneSettings settings) {
        this.normalizer = normalizer;
        this.settings = settings;
    }

    /** What the writer works out about one repeated shape. */
    private record Lookup(Pattern.Repeated repeated, String table, String keyColumn, Relation relation,
            String batchSql) {
    }

    /** A repeated shape with the position of its key parameter. */
    private record Keyed(ShapeInfo shape, int keyIndex) {
    }

    /** What a {@link Keyed} shape's text says about its table, key and the batch form of the fix. */
    private record Derived(String table, String keyColumn, Relation relation, String batchSql) {
    }

    Finding loop(Pattern p) {
        List<Lookup> lookups = new ArrayList<>();
        for (Pattern.Repeated r : p.repeated.values()) {
            lookups.add(lookup(r));
        }
        String parentTable = p.parent == null ? null : firstTable(p.parent);
        Orm orm = Orm.recognize(worstApplication(p), texts(p), orms);

        Map<String, Object> evidence = commonEvidence(p);
        evidence.put("parent", p.parent == null ? null : statement(p.parent));
        List<Map<String, Object>> repeated = new ArrayList<>();
        for (Lookup l : lookups) {
            Map<String, Object> m = statement(l.repeated.shape);
            m.put("count", l.repeated.count);
            m.put("distinct_params", l.repeated.distinct);
            m.put("relation", l.relation.label);
            m.put("key_column", l.keyColumn);
            repeated.add(m);
        }
        evidence.put("repeated", repeated);
        evidence.put("worst", worst(p));
        evidence.put("orm", orm(orm));

        String targets = String.join("`, `", lookups.stream().map(Lookup::table).distinct().toList());
        String after = parentTable == null ? "" : " for each `" + parentTable + "` row";
        boolean counting = lookups.stream().allMatch(l -> l.relation == Relation.COUNT || l.relation == Relation.EXISTS);
        String title = "N+1: `" + targets + "` " + (counting ? "counted once" : "read one key at a time") + after;
        String message = "In " + p.occurrences + plural(" loop", p.occurrences) + " (" + p.sessions.size()
                + plural(" session", p.sessions.size()) + "), " + p.repetitions + " statements "
                + (lookups.size() > 1 ? "of " + lookups.size() + " interleaved shapes " : "")
                + "each read the rows of one key"
                + (p.parent == null ? "" : ", right after `" + abbreviate(p.parent.text) + "`")
                + ", costing " + round(p.totalMs) + " ms; one statement per key could do the work of all.";

        StringBuilder sql = new StringBuilder();
        StringBuilder text = new StringBuilder();
        text.append(recognized(orm));
        for (Lookup l : lookups) {
            if (l.batchSql != null) {
                sql.append(sql.length() == 0 ? "" : "\n").append(l.batchSql).append(';');
            }
            text.append(' ').append(FixText.loop(orm.name(), l.relation, parentTable, l.table, l.keyColumn));
        }
        List<String> fingerprints = new ArrayList<>();
        LinkedHashSet<String> tables = new LinkedHashSet<>();
        if (p.parent != null) {
            fingerprints.add(p.parent.fingerprint);
            tables.addAll(p.parent.tables(normalizer));
        }
        for (Lookup l : lookups) {
            fingerprints.add(l.repeated.shape.fingerprint);
            tables.addAll(l.repeated.shape.tables(normalizer));
        }
        return new Finding(p.rule, LOOP, LOOP, severity(p.totalMs), title, message, fingerprints,
                List.copyOf(tables), p.firstSeen, p.lastSeen, evidence,
                new Finding.Suggestion(text.toString(), sql.length() == 0 ? null : sql.toString()));
    }

    Finding duplicate(Pattern p) {
        Pattern.Repeated r = p.repeated.values().iterator().next();
        Orm orm = Orm.recognize(worstApplication(p), texts(p), orms);
        Map<String, Object> evidence = commonEvidence(p);
        Map<String, Object> m = statement(r.shape);
        m.put("count", r.count);
        m.put("distinct_params", r.distinct);
        evidence.put("repeated", List.of(m));
        evidence.put("worst", worst(p));
        evidence.put("orm", orm(orm));
        String table = firstTable(r.shape);
        String title = "The same statement on `" + (table == null ? "?" : table)
                + "` runs again with the same parameters";
        String message = "In " + p.occurrences + plural(" burst", p.occurrences) + ", `" + abbreviate(r.shape.text)
                + "` was repeated " + p.repetitions + plural(" time", (int) p.repetitions)
                + " with parameters it had just used, costing " + round(p.totalMs) + " ms for answers already known.";
        String text = recognized(orm) + " " + FixText.duplicate(orm.name());
        return new Finding(p.rule, DUPLICATE, DUPLICATE, severity(p.totalMs), title, message,
                List.of(r.shape.fingerprint), List.copyOf(r.shape.tables(normalizer)), p.firstSeen, p.lastSeen,
                evidence, new Finding.Suggestion(text, null));
    }

    private Lookup lookup(Pattern.Repeated r) {
        Derived d = derived.computeIfAbsent(new Keyed(r.shape, r.keyIndex), k -> derive(k.shape(), k.keyIndex()));
        return new Lookup(r, d.table(), d.keyColumn(), d.relation(), d.batchSql());
    }

    private Derived derive(ShapeInfo s, int keyIndex) {
        int k = Math.max(0, keyIndex) + 1;
        SqlText.KeyPredicate key = SqlText.keyPredicate(s.text, k);
        List<String> tables = s.tables(normalizer);
        boolean join = s.hasJoin(normalizer);
        String table = tables.isEmpty() ? tableAfterFrom(s.text) : bare(join ? tables.get(tables.size() - 1) : tables.get(0));
        boolean aggregate = s.hasAggregate(normalizer);
        String keyColumn = key == null ? fallbackKeyColumn(s) : key.columnName();
        Relation relation;
        if (aggregate) {
            relation = Relation.COUNT;
        } else if (SqlText.findWord(s.text, "exists", 0) >= 0 || isExistenceCheck(s.text)) {
            relation = Relation.EXISTS;
        } else if (join) {
            relation = Relation.MANY_TO_MANY;
        } else if ("id".equalsIgnoreCase(keyColumn)) {
            relation = Relation.BELONGS_TO;
        } else {
            relation = Relation.HAS_MANY;
        }
        String batch;
        if (key != null) {
            batch = SqlText.batchForm(s.text, key, k, aggregate);
        } else if (table != null && keyColumn != null) {
            batch = "SELECT * FROM " + table + " WHERE " + keyColumn + " = ANY($1)";
        } else {
            batch = null;
        }
        return new Derived(table, keyColumn, relation, batch);
    }

    private static boolean isExistenceCheck(String text) {
        int select = SqlText.findWord(text, "select", 0);
        int from = SqlText.findWord(text, "from", 0);
        if (select < 0 || from < select) {
            return false;
        }
        return SqlText.isConstantList(text.substring(select + 6, from)) && SqlText.findWord(text, "limit", 0) > 0;
    }

    private String fallbackKeyColumn(ShapeInfo s) {
        var shape = s.shape(normalizer);
        if (shape == null || shape.filterColumns() == null || shape.filterColumns().isEmpty()) {
            return null;
        }
        String c = shape.filterColumns().get(0);
        return c.substring(c.lastIndexOf('.') + 1);
    }

    private String firstTable(ShapeInfo s) {
        return firstTables.computeIfAbsent(s, x -> {
            List<String> t = x.tables(normalizer);
            return Optional.ofNullable(t.isEmpty() ? tableAfterFrom(x.text) : bare(t.get(0)));
        }).orElse(null);
    }

    /** The table of {@code FROM x}, when the parser could not say. */
    private static String tableAfterFrom(String text) {
        int from = SqlText.findWord(text, "from", 0);
        if (from < 0) {
            return null;
        }
        int i = from + 4;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        int start = i;
        while (i < text.length() && (SqlText.isIdentChar(text.charAt(i)) || text.charAt(i) == '.' || text.charAt(i) == '"')) {
            i++;
        }
        return i > start ? bare(text.substring(start, i)) : null;
    }

    /** {@code "public"."Book"} → {@code Book}. */
    static String bare(String table) {
        String t = table.replace("\"", "");
        return t.substring(t.lastIndexOf('.') + 1);
    }

    private Map<String, Object> commonEvidence(Pattern p) {
        LoopInstance w = p.worst.get(0);
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("occurrences", p.occurrences);
        e.put("repetitions", p.repetitions);
        e.put("total_ms", round(p.totalMs));
        e.put("mean_ms", round(p.totalMs / p.occurrences));
        e.put("sessions", p.sessions.size());
        e.put("session", w.session());
        e.put("database", w.database());
        e.put("user", w.user());
        e.put("application", w.application());
        return e;
    }

    private static String worstApplication(Pattern p) {
        return p.worst.get(0).application();
    }

    private static List<String> texts(Pattern p) {
        List<String> t = new ArrayList<>();
        p.repeated.values().forEach(r -> t.add(r.sample == null ? r.shape.text : r.sample));
        if (p.parent != null) {
            t.add(p.parentSample == null ? p.parent.text : p.parentSample);
        }
        return t;
    }

    private static Map<String, Object> statement(ShapeInfo s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("fingerprint", s.fingerprint);
        m.put("query", s.text);
        return m;
    }

    private static List<Map<String, Object>> worst(Pattern p) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (LoopInstance i : p.worst) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("session", i.session());
            // written by the report's writer, as every other time of the report
            m.put("start", i.start());
            m.put("end", i.end());
            m.put("span_ms", Double.isNaN(i.spanMs()) ? null : round(i.spanMs()));
            m.put("duration_ms", round(i.durationMs()));
            m.put("repetitions", i.repetitions());
            out.add(m);
        }
        return out;
    }

    private static Map<String, Object> orm(Orm orm) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", orm.name());
        m.put("reason", orm.reason());
        return m;
    }

    private static String recognized(Orm orm) {
        return orm.name().equals(Orm.UNKNOWN)
                ? "No ORM recognized (" + orm.reason() + ")."
                : "Recognized " + FixText.display(orm.name()) + " from " + orm.reason() + ".";
    }

    FindingSeverity severity(double totalMs) {
        if (totalMs >= settings.criticalMs()) {
            return FindingSeverity.CRITICAL;
        }
        if (totalMs >= settings.highMs()) {
            return FindingSeverity.HIGH;
        }
        return totalMs >= settings.mediumMs() ? FindingSeverity.MEDIUM : FindingSeverity.LOW;
    }

    static double round(double ms) {
        return Math.round(ms * 1000.0) / 1000.0;
    }

    private static String plural(String word, long n) {
        return n == 1 ? word : word + "s";
    }

    private static String abbreviate(String text) {
        return text.length() <= 120 ? text : text.substring(0, 117) + "...";
    }
}
