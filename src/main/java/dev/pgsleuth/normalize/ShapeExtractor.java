package dev.pgsleuth.normalize;

import dev.pgsleuth.model.NormalizedStatement;
import dev.pgsleuth.model.QueryShape;
import dev.pgsleuth.model.StatementKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import net.sf.jsqlparser.expression.BinaryExpression;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.ExpressionVisitorAdapter;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.operators.relational.Between;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.expression.operators.relational.GreaterThan;
import net.sf.jsqlparser.expression.operators.relational.GreaterThanEquals;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.expression.operators.relational.MinorThan;
import net.sf.jsqlparser.expression.operators.relational.MinorThanEquals;
import net.sf.jsqlparser.expression.operators.relational.NotEqualsTo;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.merge.Merge;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.select.OrderByElement;
import net.sf.jsqlparser.statement.select.ParenthesedFromItem;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SelectItem;
import net.sf.jsqlparser.statement.select.SetOperationList;
import net.sf.jsqlparser.statement.select.WithItem;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.update.UpdateSet;

/**
 * Computes a {@link QueryShape} from a normalized statement with JSQLParser 5.3, which reads
 * {@code $n} and {@code ?} as {@code JdbcParameter}s, so the normalized text is parsed as is.
 * Columns are resolved through the aliases of the whole statement (scopes are not told apart:
 * an alias bound to two different tables is left unresolved). When JSQLParser cannot parse the
 * text, the lexer gives the kind, the tables after FROM / JOIN / UPDATE / INTO and the flags.
 */
final class ShapeExtractor {

    /** The aggregate functions whose call sets {@link QueryShape#hasAggregate} (so does a GROUP BY). */
    static final Set<String> AGGREGATES = Set.of("count", "sum", "avg", "min", "max", "array_agg",
            "string_agg", "bool_and", "bool_or", "every", "json_agg", "jsonb_agg", "json_object_agg",
            "jsonb_object_agg", "stddev", "stddev_pop", "stddev_samp", "variance", "var_pop", "var_samp",
            "percentile_cont", "percentile_disc", "mode", "bit_and", "bit_or", "xmlagg");

    /**
     * JSQLParser backtracks exponentially on some inputs (deeply nested subqueries); past this, the
     * lexer's shape is good enough and the pipeline must not stall on one statement.
     */
    private static final long PARSE_TIMEOUT_MS = 500;

    /**
     * The threads JSQLParser parses on, so that its timeout can stop a runaway parse. Without
     * one it starts a new thread for every statement; daemon threads, so that a parse abandoned
     * after its timeout never keeps the JVM alive.
     */
    private static final ExecutorService PARSERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "pgsleuth-sql-parser");
        t.setDaemon(true);
        return t;
    });

    /**
     * Statements of at most this many opening parentheses and {@link #MAX_LENGTH_INLINE}
     * characters are parsed on the calling thread. JSQLParser's backtracking grows with nesting
     * (each level of {@code IN (SELECT … IN (…))}, one parenthesis, about doubles its time) and
     * its work with length (a flat list of 100,000 terms takes seconds); within both bounds a
     * parse takes milliseconds, while handing it to {@link #PARSERS} and waiting cost a tenth of
     * a two-thread analysis: a wake-up, a third runnable thread on two cores, the statement moving
     * between them.
     */
    static final int MAX_PARENTHESES_INLINE = 8;
    static final int MAX_LENGTH_INLINE = 4096;

    /** Runs JSQLParser's parse task on the calling thread, so that its result is there at once. */
    private static final ExecutorService CALLING_THREAD = new AbstractExecutorService() {
        @Override
        public void execute(Runnable task) {
            task.run();
        }

        @Override
        public void shutdown() {
        }

        @Override
        public List<Runnable> shutdownNow() {
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return false;
        }

        @Override
        public boolean isTerminated() {
            return false;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return false;
        }
    };

    private final String fingerprint;
    private final Set<String> tables = new LinkedHashSet<>();
    private final Set<String> cteNames = new HashSet<>();
    private final Map<String, String> aliases = new HashMap<>();
    private final Set<String> ambiguous = new HashSet<>();
    private final List<Column> filters = new ArrayList<>();
    private final List<Column> joins = new ArrayList<>();
    private final List<Column> orders = new ArrayList<>();
    private boolean hasJoin;
    private boolean hasAggregate;
    private boolean hasLimit;

    private ShapeExtractor(String fingerprint) {
        this.fingerprint = fingerprint;
    }

    /** The shape of a statement; never throws. */
    static QueryShape extract(NormalizedStatement st) {
        String text = st.text();
        Statement parsed = null;
        try {
            if (!text.isBlank() && !hasInnerSemicolon(text)) {
                parsed = CCJSqlParserUtil.parse(text, parsesInline(text) ? CALLING_THREAD : PARSERS,
                        p -> p.withTimeOut(PARSE_TIMEOUT_MS));
            }
        } catch (Exception | StackOverflowError | LinkageError e) {
            parsed = null;
        } catch (Error e) {
            // JSQLParser's token manager reports bad input as an Error; anything else is real
            if (e instanceof VirtualMachineError) {
                throw e;
            }
            parsed = null;
        }
        if (parsed != null) {
            try {
                return new ShapeExtractor(st.fingerprint()).fromParsed(parsed, text);
            } catch (RuntimeException | StackOverflowError e) {
                // an AST shape this walker does not know: fall back to what the lexer sees
            }
        }
        return LexerShape.of(st.fingerprint(), text, false);
    }

    /** True when {@code text} is parsed on the calling thread: short and flat enough that no parse runs away. */
    static boolean parsesInline(String text) {
        if (text.length() > MAX_LENGTH_INLINE) {
            return false;
        }
        int open = 0;
        for (int i = text.indexOf('('); i >= 0; i = text.indexOf('(', i + 1)) {
            if (++open > MAX_PARENTHESES_INLINE) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasInnerSemicolon(String text) {
        int i = text.indexOf(';');
        return i >= 0 && !text.substring(i + 1).isBlank();
    }

    private QueryShape fromParsed(Statement statement, String text) {
        StatementKind kind;
        if (statement instanceof Select) {
            kind = StatementKind.SELECT;
            select((Select) statement);
        } else if (statement instanceof Insert) {
            kind = StatementKind.INSERT;
            insert((Insert) statement);
        } else if (statement instanceof Update) {
            kind = StatementKind.UPDATE;
            update((Update) statement);
        } else if (statement instanceof Delete) {
            kind = StatementKind.DELETE;
            delete((Delete) statement);
        } else if (statement instanceof Merge) {
            kind = StatementKind.MERGE;
            merge((Merge) statement);
        } else {
            return LexerShape.of(fingerprint, text, true);
        }
        return new QueryShape(fingerprint, kind, List.copyOf(tables), resolve(filters), resolve(joins),
                resolve(orders), hasJoin, hasAggregate, hasLimit, true);
    }

    private void withItems(List<WithItem<?>> items) {
        if (items == null) {
            return;
        }
        for (WithItem<?> w : items) {
            cteNames.add(ident(w.getAliasName()));
            if (w.getSelect() != null) {
                select(w.getSelect());
            }
        }
    }

    private void select(Select s) {
        if (s == null) {
            return;
        }
        withItems(s.getWithItemsList());
        if (s.getLimit() != null || s.getFetch() != null) {
            hasLimit = true;
        }
        orderBy(s.getOrderByElements());
        if (s instanceof PlainSelect) {
            plain((PlainSelect) s);
        } else if (s instanceof SetOperationList) {
            for (Select part : ((SetOperationList) s).getSelects()) {
                select(part);
            }
        } else if (s instanceof ParenthesedSelect) {
            select(((ParenthesedSelect) s).getSelect());
        }
    }

    private void plain(PlainSelect ps) {
        fromItem(ps.getFromItem());
        joins(ps.getJoins());
        if (ps.getSelectItems() != null) {
            for (SelectItem<?> item : ps.getSelectItems()) {
                visit(item.getExpression(), Role.OTHER);
            }
        }
        visit(ps.getWhere(), Role.WHERE);
        visit(ps.getHaving(), Role.OTHER);
        if (ps.getGroupBy() != null) {
            hasAggregate = true;
        }
        if (ps.getTop() != null) {
            hasLimit = true;
        }
    }

    private void orderBy(List<OrderByElement> elements) {
        if (elements == null) {
            return;
        }
        for (OrderByElement e : elements) {
            if (e.getExpression() instanceof Column) {
                orders.add((Column) e.getExpression());
            } else {
                visit(e.getExpression(), Role.OTHER);
            }
        }
    }

    private void joins(List<Join> list) {
        if (list == null) {
            return;
        }
        for (Join j : list) {
            hasJoin = true;
            fromItem(j.getFromItem());
            if (j.getOnExpressions() != null) {
                for (Expression on : j.getOnExpressions()) {
                    visit(on, Role.JOIN);
                }
            }
            if (j.getUsingColumns() != null) {
                joins.addAll(j.getUsingColumns());
            }
        }
    }

    private void fromItem(FromItem item) {
        if (item instanceof Table) {
            table((Table) item);
        } else if (item instanceof ParenthesedSelect) {
            ParenthesedSelect ps = (ParenthesedSelect) item;
            select(ps.getSelect());
            if (ps.getAlias() != null) {
                bindAlias(ident(ps.getAlias().getName()), "");
            }
        } else if (item instanceof ParenthesedFromItem) {
            ParenthesedFromItem p = (ParenthesedFromItem) item;
            fromItem(p.getFromItem());
            joins(p.getJoins());
        }
    }

    private void table(Table t) {
        if (t == null || t.getName() == null) {
            return;
        }
        String name = ident(t.getName());
        String full = t.getSchemaName() == null ? name : ident(t.getSchemaName()) + "." + name;
        if (t.getSchemaName() == null && cteNames.contains(name)) {
            return;
        }
        tables.add(full);
        bindAlias(name, full);
        if (t.getAlias() != null) {
            bindAlias(ident(t.getAlias().getName()), full);
        }
    }

    private void bindAlias(String alias, String table) {
        String old = aliases.putIfAbsent(alias, table);
        if (old != null && !old.equals(table)) {
            ambiguous.add(alias);
        }
    }

    private void insert(Insert ins) {
        withItems(ins.getWithItemsList());
        table(ins.getTable());
        select(ins.getSelect());
    }

    private void update(Update up) {
        withItems(up.getWithItemsList());
        table(up.getTable());
        fromItem(up.getFromItem());
        joins(up.getStartJoins());
        joins(up.getJoins());
        if (up.getUpdateSets() != null) {
            for (UpdateSet set : up.getUpdateSets()) {
                for (Expression e : set.getValues()) {
                    visit(e, Role.OTHER);
                }
            }
        }
        visit(up.getWhere(), Role.WHERE);
    }

    private void delete(Delete del) {
        withItems(del.getWithItemsList());
        table(del.getTable());
        if (del.getUsingList() != null) {
            for (Table t : del.getUsingList()) {
                hasJoin = true;
                table(t);
            }
        }
        joins(del.getJoins());
        visit(del.getWhere(), Role.WHERE);
    }

    private void merge(Merge m) {
        withItems(m.getWithItemsList());
        table(m.getTable());
        fromItem(m.getFromItem());
        hasJoin = true;
        visit(m.getOnCondition(), Role.JOIN);
    }

    private enum Role { WHERE, JOIN, OTHER }

    private void visit(Expression e, Role role) {
        if (e != null) {
            e.accept(new Collector(role), null);
        }
    }

    /** Records comparisons of a column with a value (filters) or with another column (joins). */
    private final class Collector extends ExpressionVisitorAdapter<Void> {
        private final Role role;

        Collector(Role role) {
            this.role = role;
        }

        private void compare(BinaryExpression b) {
            Expression l = b.getLeftExpression();
            Expression r = b.getRightExpression();
            if (l instanceof Column && r instanceof Column) {
                joins.add((Column) l);
                joins.add((Column) r);
            } else if (role != Role.OTHER && l instanceof Column && !(r instanceof Column)) {
                filters.add((Column) l);
            } else if (role != Role.OTHER && r instanceof Column && !(l instanceof Column)) {
                filters.add((Column) r);
            }
        }

        @Override
        public <S> Void visit(EqualsTo e, S context) {
            compare(e);
            return super.visit(e, context);
        }

        @Override
        public <S> Void visit(NotEqualsTo e, S context) {
            compare(e);
            return super.visit(e, context);
        }

        @Override
        public <S> Void visit(GreaterThan e, S context) {
            compare(e);
            return super.visit(e, context);
        }

        @Override
        public <S> Void visit(GreaterThanEquals e, S context) {
            compare(e);
            return super.visit(e, context);
        }

        @Override
        public <S> Void visit(MinorThan e, S context) {
            compare(e);
            return super.visit(e, context);
        }

        @Override
        public <S> Void visit(MinorThanEquals e, S context) {
            compare(e);
            return super.visit(e, context);
        }

        @Override
        public <S> Void visit(InExpression e, S context) {
            if (role != Role.OTHER && e.getLeftExpression() instanceof Column) {
                filters.add((Column) e.getLeftExpression());
            }
            return super.visit(e, context);
        }

        @Override
        public <S> Void visit(Between e, S context) {
            if (role != Role.OTHER && e.getLeftExpression() instanceof Column) {
                filters.add((Column) e.getLeftExpression());
            }
            return super.visit(e, context);
        }

        @Override
        public <S> Void visit(Function f, S context) {
            if (f.getName() != null && AGGREGATES.contains(f.getName().toLowerCase(Locale.ROOT))) {
                hasAggregate = true;
            }
            return super.visit(f, context);
        }

        @Override
        public <S> Void visit(ParenthesedSelect s, S context) {
            select(s.getSelect());
            return null;
        }

        @Override
        public <S> Void visit(Select s, S context) {
            select(s);
            return null;
        }
    }

    private List<String> resolve(List<Column> columns) {
        Set<String> out = new LinkedHashSet<>();
        for (Column c : columns) {
            String name = ident(c.getColumnName());
            Table t = c.getTable();
            String qualifier = t == null || t.getName() == null ? null : ident(t.getName());
            if (qualifier == null) {
                out.add(tables.size() == 1 ? tables.iterator().next() + "." + name : name);
                continue;
            }
            String table = ambiguous.contains(qualifier) ? null : aliases.get(qualifier);
            if (table == null || table.isEmpty()) {
                String schema = t.getSchemaName();
                out.add((schema == null ? "" : ident(schema) + ".") + qualifier + "." + name);
            } else {
                out.add(table + "." + name);
            }
        }
        return List.copyOf(out);
    }

    /** PostgreSQL folds unquoted names to lower case and keeps quoted ones as written. */
    static String ident(String s) {
        if (s == null) {
            return "";
        }
        if (s.length() >= 2 && s.charAt(0) == '"' && s.charAt(s.length() - 1) == '"') {
            return s.substring(1, s.length() - 1).replace("\"\"", "\"");
        }
        return s.toLowerCase(Locale.ROOT);
    }
}
