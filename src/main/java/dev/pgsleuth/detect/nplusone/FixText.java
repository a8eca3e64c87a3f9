package dev.pgsleuth.detect.nplusone;

import dev.pgsleuth.detect.nplusone.FindingWriter.Relation;
import java.util.Locale;

/**
 * The fix in the words of the ORM that made the loop. Entity and field names are guessed from
 * table names (Django's {@code app_model} prefix dropped), so the text says which tables it means.
 */
final class FixText {
    private FixText() {
    }

    static String display(String orm) {
        return switch (orm) {
            case Orm.HIBERNATE -> "Hibernate";
            case Orm.DJANGO -> "Django";
            case Orm.RAILS -> "Rails (ActiveRecord)";
            case Orm.SQLALCHEMY -> "SQLAlchemy";
            case Orm.SEQUELIZE -> "Sequelize";
            case Orm.PRISMA -> "Prisma";
            case Orm.JDBC -> "plain JDBC";
            default -> "no ORM";
        };
    }

    static String loop(String orm, Relation relation, String parentTable, String table, String keyColumn) {
        boolean django = orm.equals(Orm.DJANGO);
        String t = model(table, django);
        String p = parentTable == null ? "parent" : model(parentTable, django);
        String parentRows = parentTable == null ? "each row of the statement before the loop"
                : "each `" + parentTable + "` row";
        String many = plural(t);
        boolean toOne = relation == Relation.BELONGS_TO;
        boolean counting = relation == Relation.COUNT || relation == Relation.EXISTS;
        String key = keyColumn == null ? "" : " (key `" + keyColumn + "`)";
        return switch (orm) {
            case Orm.HIBERNATE -> toOne
                    ? "Hibernate loads the lazy to-one association to `" + table + "` once for " + parentRows
                            + ". Fetch it with the parent: `join fetch` in the query (`select x from " + entity(p)
                            + " x join fetch x." + t + "`) or `@EntityGraph(attributePaths = \"" + t
                            + "\")`; or let Hibernate load the proxies in batches with `@BatchSize(size = 100)` on `"
                            + entity(t) + "` or `hibernate.default_batch_fetch_size`."
                    : counting
                    ? "A count or existence check on `" + table + "`" + key + " runs once for " + parentRows
                            + ". Ask once for all keys with a grouped query (the SQL below; in JPQL `select y."
                            + keyPath(keyColumn) + ", count(y) from " + entity(t) + " y where y." + keyPath(keyColumn)
                            + " in :ids group by y." + keyPath(keyColumn) + "`), or select it in the parent query."
                    : "Hibernate initializes a lazy collection of `" + table + "`" + key + " once for " + parentRows
                            + ". Fetch it with the parent: `left join fetch` (`select x from " + entity(p)
                            + " x left join fetch x." + many + "`) or `@EntityGraph(attributePaths = \"" + many
                            + "\")`; or annotate the collection with `@BatchSize(size = 100)` (or set "
                            + "`hibernate.default_batch_fetch_size`) so it loads for many parents at once.";
            case Orm.DJANGO -> toOne
                    ? "Django fetches the foreign key `" + t + "` once for " + parentRows + ". Add `.select_related(\""
                            + t + "\")` to the queryset that loads them (one JOIN)."
                    : relation == Relation.COUNT
                    ? "`.count()` runs once for " + parentRows + ". Annotate the parent queryset instead: `.annotate("
                            + t + "_count=Count(\"" + t + "\"))`."
                    : relation == Relation.EXISTS
                    ? "`.exists()` runs once for " + parentRows + ". Annotate the parent queryset instead: `.annotate(has_"
                            + t + "=Exists(...))`."
                    : "A related manager on `" + table + "`" + key + " runs once for " + parentRows
                            + ". Add `.prefetch_related(\"" + t + "_set\")` (or the `related_name`) to the parent "
                            + "queryset: one more query with `IN` instead of one per row.";
            case Orm.RAILS -> toOne
                    ? "ActiveRecord loads `belongs_to :" + t + "` once for " + parentRows + ". Use `.includes(:" + t
                            + ")` (or `.preload` / `.eager_load`) on the relation that loads them."
                    : counting
                    ? "`.count` / `.exists?` runs once for " + parentRows + ". Add a `counter_cache`, or load all counts "
                            + "at once with `.left_joins(:" + many + ").group(:id).count`, or call `.size` after `.includes(:"
                            + many + ")`."
                    : "ActiveRecord loads `has_many :" + many + "` once for " + parentRows + ". Use `.includes(:" + many
                            + ")` (or `.preload(:" + many + ")`) on the relation that loads them.";
            case Orm.SQLALCHEMY -> toOne
                    ? "SQLAlchemy lazy-loads the many-to-one to `" + table + "` once for " + parentRows
                            + ". Add `.options(joinedload(" + entity(p) + "." + t + "))` (or `selectinload`) to the query."
                    : counting
                    ? "A count on `" + table + "` runs once for " + parentRows
                            + ". Join a grouped subquery (`func.count()` … `group_by`) into the parent query."
                    : "SQLAlchemy lazy-loads the collection of `" + table + "` once for " + parentRows
                            + ". Add `.options(selectinload(" + entity(p) + "." + many + "))` to the query (one `IN` query).";
            case Orm.SEQUELIZE -> counting
                    ? "A count on `" + table + "` runs once for " + parentRows
                            + ". Count in the parent `findAll` with an `include` and `attributes: [[fn('COUNT', ...), ...]]`, `group`."
                    : "Sequelize runs this lookup once for " + parentRows + ". Load it with the parent: `include: [{ model: "
                            + entity(t) + " }]` in the `findAll` that loads them.";
            case Orm.PRISMA -> counting
                    ? "A count on `" + table + "` runs once for " + parentRows + ". Use `include: { _count: { select: { "
                            + many + ": true } } }` in the parent `findMany`."
                    : "Prisma runs this lookup once for " + parentRows + ". Load it in the parent `findMany` with `include: { "
                            + (toOne ? t : many) + ": true }` (add `relationLoadStrategy: \"join\"` for one JOIN).";
            case Orm.JDBC -> "A JDBC loop runs this statement once for " + parentRows
                    + ". Collect the keys and run it once with `= ANY(?)` bound to `connection.createArrayOf(...)` "
                    + "(the SQL below)" + orJoin(parentTable, table) + ".";
            default -> "Collect the keys and load the `" + table + "` rows of all of them in one statement (the SQL "
                    + "below)" + orJoin(parentTable, table)
                    + "; in an ORM that is its eager loading (a JOIN, or an `IN` / `ANY` batch).";
        };
    }

    private static String orJoin(String parentTable, String table) {
        return parentTable == null ? "" : ", or join `" + table + "` into the `" + parentTable + "` query";
    }

    static String duplicate(String orm) {
        String how = switch (orm) {
            case Orm.DJANGO -> "evaluate the queryset once and keep it (or `cached_property`)";
            case Orm.RAILS -> "memoize it (`@x ||= …`); the query cache only helps inside a controller action";
            case Orm.HIBERNATE -> "keep the entity or result you already loaded (a `find` by id is served from the "
                    + "persistence context, a query is not)";
            default -> "keep the result you already have, or cache it for the request";
        };
        return "Ask once and reuse the answer: " + how + ".";
    }

    /**
     * Model name from a table name, singular: {@code books_author} → {@code author} for Django,
     * {@code posts} → {@code post}.
     */
    static String model(String table, boolean django) {
        if (table == null) {
            return "related";
        }
        String t = table;
        if (django) {
            int u = t.indexOf('_');
            if (u > 0 && u < t.length() - 1) {
                t = t.substring(u + 1);
            }
        }
        t = t.toLowerCase(Locale.ROOT);
        if (t.endsWith("ies")) {
            return t.substring(0, t.length() - 3) + "y";
        }
        return t.endsWith("s") && !t.endsWith("ss") ? t.substring(0, t.length() - 1) : t;
    }

    private static String plural(String model) {
        if (model.endsWith("y") && !model.endsWith("ey")) {
            return model.substring(0, model.length() - 1) + "ies";
        }
        return model.endsWith("s") || model.endsWith("x") ? model + "es" : model + "s";
    }

    private static String entity(String model) {
        StringBuilder b = new StringBuilder();
        boolean upper = true;
        for (char c : model.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                b.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return b.toString();
    }

    private static String keyPath(String keyColumn) {
        if (keyColumn == null) {
            return "parent.id";
        }
        return keyColumn.endsWith("_id") ? keyColumn.substring(0, keyColumn.length() - 3) + ".id" : keyColumn;
    }
}
