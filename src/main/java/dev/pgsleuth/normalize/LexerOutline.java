package dev.pgsleuth.normalize;

import static dev.pgsleuth.normalize.Lexer.COMMA;
import static dev.pgsleuth.normalize.Lexer.DOT;
import static dev.pgsleuth.normalize.Lexer.IDENT;
import static dev.pgsleuth.normalize.Lexer.LPAREN;
import static dev.pgsleuth.normalize.Lexer.QIDENT;
import static dev.pgsleuth.normalize.Lexer.RPAREN;
import static dev.pgsleuth.normalize.Lexer.SEMI;

import dev.pgsleuth.model.QueryShape;
import dev.pgsleuth.model.StatementKind;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The kind, tables and flags of a statement from its tokens alone, for the statements whose tables
 * the lexer can list exactly as the JSQLParser walk of {@link ShapeExtractor} lists them (same
 * names, same order). Anything where the two could differ gives {@code null} and is left to the
 * parser: WITH, MERGE and DELETE … USING, a subquery in a select list, an ORDER BY, a SET or
 * anywhere in an INSERT or UPDATE (the walk visits those after the FROM list), parenthesized
 * joins, names of three parts, SELECT INTO, several statements, and FROM inside a non-query
 * parenthesis ({@code extract(year FROM d)}).
 *
 * <p>The JOIN, aggregate and LIMIT flags are the walk's too: a JOIN or a comma in a FROM list, a
 * GROUP BY or a call of one of the walk's aggregates (not as a window: OVER, FILTER, WITHIN GROUP),
 * a LIMIT or FETCH, at any depth. Left to the parser: an aggregate call in an INSERT, UPDATE or
 * DELETE (the walk skips their VALUES and RETURNING lists). Columns are not filled in.
 */
final class LexerOutline {

    private static final long KEY = Lexer.keyword("key");
    private static final long MERGE = Lexer.keyword("merge");
    private static final long OVER = Lexer.keyword("over");
    private static final long FILTER = Lexer.keyword("filter");
    private static final long WITHIN = Lexer.keyword("within");
    private static final long[] AGGREGATES = ShapeExtractor.AGGREGATES.stream().mapToLong(Lexer::keyword).sorted()
            .toArray();

    private static final int NONE = 0;
    private static final int SELECT_LIST = 1;
    private static final int FROM_LIST = 2;
    private static final int ORDER_LIST = 3;
    private static final int SET_LIST = 4;

    private static final int MAX_DEPTH = 64;

    private LexerOutline() {
    }

    /** The outline of {@code text}, or {@code null} when only the parser can tell its tables. */
    static QueryShape of(String fingerprint, String text, Lexer lx) {
        lx.lex(text);
        if (lx.count == 0 || lx.type[0] != IDENT) {
            return null;
        }
        StatementKind kind = LexerShape.kind(lx);
        if (lx.is(0, Keywords.WITH) || lx.is(0, MERGE)) {
            return null;
        }
        if (kind != StatementKind.SELECT && kind != StatementKind.INSERT && kind != StatementKind.UPDATE
                && kind != StatementKind.DELETE) {
            // the parser's walk hands every other statement to the lexer's shape anyway
            return LexerShape.of(fingerprint, text, true);
        }
        boolean nestedSelectsOk = kind == StatementKind.SELECT || kind == StatementKind.DELETE;
        Set<String> tables = new LinkedHashSet<>();
        boolean join = false;
        boolean aggregate = false;
        boolean limit = false;
        boolean[] query = new boolean[MAX_DEPTH];
        int[] clause = new int[MAX_DEPTH];
        int depth = 0;
        query[0] = true;
        for (int i = 0; i < lx.count; i++) {
            int type = lx.type[i];
            if (type == LPAREN) {
                if (++depth == MAX_DEPTH) {
                    return null;
                }
                query[depth] = lx.is(i + 1, Keywords.SELECT) || lx.is(i + 1, Keywords.VALUES);
                clause[depth] = NONE;
                if (lx.is(i + 1, Keywords.WITH)) {
                    return null;
                }
                continue;
            }
            if (type == SEMI && i + 1 < lx.count) {
                return null;
            }
            if (type == RPAREN) {
                if (--depth < 0) {
                    return null;
                }
                continue;
            }
            if (type == COMMA) {
                if (clause[depth] == FROM_LIST) {
                    join = true;
                    i = fromItem(lx, i + 1, tables);
                    if (i < 0) {
                        return null;
                    }
                }
                continue;
            }
            if (type != IDENT) {
                continue;
            }
            long h = lx.hash[i];
            if (h == Keywords.SELECT) {
                if (depth > 0) {
                    if (!nestedSelectsOk) {
                        return null;
                    }
                    for (int d = 0; d < depth; d++) {
                        if (clause[d] == SELECT_LIST || clause[d] == ORDER_LIST || clause[d] == SET_LIST) {
                            return null;
                        }
                    }
                }
                clause[depth] = SELECT_LIST;
            } else if (h == Keywords.FROM) {
                if (lx.is(i - 1, Keywords.DISTINCT)) {
                    continue;
                }
                if (!query[depth]) {
                    return null;
                }
                clause[depth] = FROM_LIST;
                i = fromItem(lx, i + 1, tables);
                if (i < 0) {
                    return null;
                }
            } else if (h == Keywords.JOIN) {
                join = true;
                i = fromItem(lx, i + 1, tables);
                if (i < 0) {
                    return null;
                }
            } else if (h == Keywords.USING) {
                if (kind == StatementKind.DELETE && !(i + 1 < lx.count && lx.type[i + 1] == LPAREN)) {
                    return null;
                }
            } else if (h == Keywords.INTO) {
                if (i != 1 || kind != StatementKind.INSERT) {
                    return null;
                }
                i = fromItem(lx, i + 1, tables);
                if (i < 0) {
                    return null;
                }
            } else if (h == Keywords.UPDATE) {
                if (i == 0) {
                    i = fromItem(lx, 1, tables);
                    if (i < 0) {
                        return null;
                    }
                } else if (!lx.is(i - 1, Keywords.FOR) && !lx.is(i - 1, KEY) && !lx.is(i - 1, Keywords.DO)) {
                    return null;
                }
            } else if (h == Keywords.ORDER) {
                clause[depth] = ORDER_LIST;
            } else if (h == Keywords.SET) {
                clause[depth] = SET_LIST;
            } else if (h == Keywords.WHERE || h == Keywords.GROUP || h == Keywords.HAVING || h == Keywords.LIMIT
                    || h == Keywords.OFFSET || h == Keywords.RETURNING || h == Keywords.WINDOW
                    || h == Keywords.UNION || h == Keywords.INTERSECT || h == Keywords.EXCEPT
                    || h == Keywords.VALUES) {
                clause[depth] = NONE;
                aggregate |= h == Keywords.GROUP && lx.is(i + 1, Keywords.BY);
                limit |= h == Keywords.LIMIT;
            } else if (h == Keywords.FETCH) {
                limit = true;
            } else if (h == Keywords.WITH || h == MERGE) {
                return null;
            } else if (i + 1 < lx.count && lx.type[i + 1] == LPAREN && Arrays.binarySearch(AGGREGATES, h) >= 0) {
                aggregate |= isAggregateCall(lx, i);
            }
        }
        if (depth != 0) {
            return null;
        }
        if (kind != StatementKind.SELECT && aggregate) {
            return null;
        }
        return new QueryShape(fingerprint, kind, List.copyOf(tables), List.of(), List.of(), List.of(),
                join, aggregate, limit, true);
    }

    /**
     * Whether the call at token {@code i} (a name of {@link ShapeExtractor#AGGREGATES} before a
     * parenthesis) is one to the parser's walk: not when schema-qualified (the parser's name is
     * then the qualified one), nor followed by OVER, FILTER or WITHIN GROUP (the parser makes a
     * window expression of it, whose arguments it still visits: the loop sees those calls too).
     */
    private static boolean isAggregateCall(Lexer lx, int i) {
        if (i > 0 && lx.type[i - 1] == DOT) {
            return false;
        }
        int close = lx.match[i + 1];
        return !(lx.is(close + 1, OVER) || lx.is(close + 1, FILTER) || lx.is(close + 1, WITHIN));
    }

    /**
     * Reads the relation starting at token {@code i}: a table name (added), a subquery (left to
     * the main loop) or a function call; returns the last token consumed, or -1 when the lexer
     * cannot be sure what the parser would see.
     */
    private static int fromItem(Lexer lx, int i, Set<String> tables) {
        while (lx.is(i, Keywords.ONLY) || lx.is(i, Keywords.LATERAL)) {
            i++;
        }
        if (i >= lx.count) {
            return -1;
        }
        int type = lx.type[i];
        if (type == LPAREN) {
            return lx.is(i + 1, Keywords.SELECT) || lx.is(i + 1, Keywords.VALUES) ? i - 1 : -1;
        }
        if (type != QIDENT && (type != IDENT || Keywords.isReserved(lx.hash[i]))) {
            return -1;
        }
        int first = i;
        int parts = 1;
        while (i + 2 < lx.count && lx.type[i + 1] == DOT && (lx.type[i + 2] == IDENT || lx.type[i + 2] == QIDENT)) {
            i += 2;
            parts++;
        }
        if (i + 1 < lx.count && lx.type[i + 1] == LPAREN && !lx.is(first - 1, Keywords.INTO)) {
            // a set-returning function, not a table (INSERT INTO t (cols) is no call)
            return i;
        }
        if (parts > 2) {
            return -1;
        }
        String name = part(lx, first);
        tables.add(parts == 2 ? name + "." + part(lx, i) : name);
        return i;
    }

    private static String part(Lexer lx, int i) {
        return ShapeExtractor.ident(lx.src.substring(lx.start[i], lx.end[i]));
    }
}
