package dev.pgsleuth.detect.nplusone;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The ORM (or driver) that most likely wrote a statement, recognized from its SQL dialect and the
 * session's application_name, with the reason in words. Regular expressions are fine here: this
 * runs once per finding, not per statement.
 *
 * @param name   {@code hibernate}, {@code django}, {@code rails}, {@code sqlalchemy},
 *               {@code sequelize}, {@code prisma}, {@code jdbc} or {@code unknown}
 * @param reason why, e.g. {@code table aliases like `b1_0` (Hibernate 6+)}
 */
record Orm(String name, String reason) {
    static final String HIBERNATE = "hibernate";
    static final String DJANGO = "django";
    static final String RAILS = "rails";
    static final String SQLALCHEMY = "sqlalchemy";
    static final String SEQUELIZE = "sequelize";
    static final String PRISMA = "prisma";
    static final String JDBC = "jdbc";
    static final String UNKNOWN = "unknown";

    private static final Pattern HIBERNATE6 = Pattern.compile("\\b([a-z][a-z0-9]*?\\d+_\\d+)\\.[a-z_]");
    private static final Pattern HIBERNATE5 = Pattern.compile("\\b([a-z][a-z0-9_]*?\\d+_)\\.[a-z_]");
    private static final Pattern DJANGO_COLUMN = Pattern.compile("\"([a-z0-9]+_[a-z0-9_]+)\"\\.\"[a-z0-9_]+\"");
    private static final Pattern DJANGO_LIMIT = Pattern.compile("(?i)\\blimit\\s+21\\b");
    private static final Pattern RAILS_STAR = Pattern.compile("(?i)select\\s+\"([a-z0-9_]+)\"\\.\\*");
    private static final Pattern PRISMA_COLUMN = Pattern.compile("\"public\"\\.\"[A-Za-z0-9_]+\"\\.\"");
    private static final Pattern SEQUELIZE_ALIAS = Pattern.compile("(?i)from\\s+\"[A-Za-z0-9_]+\"\\s+as\\s+\"[A-Z]");
    private static final Pattern SQLALCHEMY_LABEL = Pattern.compile("(?i)\\b([a-z0-9_]+)\\.([a-z0-9_]+)\\s+as\\s+\\1_\\2\\b");
    private static final Pattern PARAMETER_LEFT = Pattern.compile("(?i)\\bwhere\\s+\\$\\d+\\s*=\\s*[a-z_\"]");

    /**
     * Recognizes the ORM from the application name and the texts of the statements involved
     * (repeated ones first, then the parent).
     */
    static Orm recognize(String application, List<String> texts) {
        return recognize(application, texts, new HashMap<>());
    }

    /**
     * {@link #recognize(String, List)}, with what each text said kept in {@code seen}: the loops of
     * a log share a few statement texts, and each text is a dozen regular-expression searches.
     */
    static Orm recognize(String application, List<String> texts, Map<String, Optional<Orm>> seen) {
        Orm byName = fromApplication(application);
        if (byName != null) {
            return byName;
        }
        for (String text : texts) {
            Orm bySql = text == null ? null : seen.computeIfAbsent(text, t -> Optional.ofNullable(fromSql(t))).orElse(null);
            if (bySql != null) {
                return bySql;
            }
        }
        if (application != null && application.startsWith("PostgreSQL JDBC Driver")) {
            return new Orm(JDBC, "application_name `PostgreSQL JDBC Driver` (pgjdbc's default) and no ORM-style aliases");
        }
        return new Orm(UNKNOWN, "the SQL has no ORM-specific marks");
    }

    private static Orm fromApplication(String application) {
        if (application == null || application.isBlank()) {
            return null;
        }
        String a = application.toLowerCase(Locale.ROOT);
        String why = "application_name `" + application + "`";
        if (a.contains("hibernate")) {
            return new Orm(HIBERNATE, why);
        }
        if (a.contains("django")) {
            return new Orm(DJANGO, why);
        }
        if (a.contains("rails") || a.contains("sidekiq") || a.contains("puma")) {
            return new Orm(RAILS, why);
        }
        if (a.contains("sqlalchemy")) {
            return new Orm(SQLALCHEMY, why);
        }
        if (a.contains("sequelize")) {
            return new Orm(SEQUELIZE, why);
        }
        if (a.contains("prisma")) {
            return new Orm(PRISMA, why);
        }
        return null;
    }

    private static Orm fromSql(String text) {
        if (text == null) {
            return null;
        }
        var m = HIBERNATE6.matcher(text);
        if (m.find()) {
            return new Orm(HIBERNATE, "table aliases like `" + m.group(1) + "` (Hibernate 6+)");
        }
        m = HIBERNATE5.matcher(text);
        if (m.find()) {
            return new Orm(HIBERNATE, "table aliases like `" + m.group(1) + "` (Hibernate 5)");
        }
        m = PRISMA_COLUMN.matcher(text);
        if (m.find()) {
            return new Orm(PRISMA, "columns written `\"public\".\"Model\".\"field\"` (Prisma)");
        }
        m = SEQUELIZE_ALIAS.matcher(text);
        if (m.find()) {
            return new Orm(SEQUELIZE, "tables aliased to a capitalized model name, `FROM \"Users\" AS \"User\"` (Sequelize)");
        }
        m = RAILS_STAR.matcher(text);
        if (m.find()) {
            return new Orm(RAILS, "`SELECT \"" + m.group(1) + "\".*` (ActiveRecord)");
        }
        m = DJANGO_COLUMN.matcher(text);
        if (m.find()) {
            String limit = DJANGO_LIMIT.matcher(text).find() ? " with `LIMIT 21`" : "";
            return new Orm(DJANGO, "columns written `\"" + m.group(1) + "\".\"column\"` (app_model tables)" + limit
                    + " (Django)");
        }
        m = SQLALCHEMY_LABEL.matcher(text);
        if (m.find()) {
            return new Orm(SQLALCHEMY, "column labels like `" + m.group(1) + "." + m.group(2) + " AS " + m.group(1) + "_"
                    + m.group(2) + "` (SQLAlchemy)");
        }
        m = PARAMETER_LEFT.matcher(text);
        if (m.find()) {
            return new Orm(SQLALCHEMY, "the parameter on the left of the key comparison, `WHERE $1 = …` (SQLAlchemy)");
        }
        return null;
    }
}
