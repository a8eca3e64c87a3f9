package dev.pgsleuth.normalize;

import static dev.pgsleuth.normalize.Lexer.CAST;
import static dev.pgsleuth.normalize.Lexer.COMMA;
import static dev.pgsleuth.normalize.Lexer.DOT;
import static dev.pgsleuth.normalize.Lexer.IDENT;
import static dev.pgsleuth.normalize.Lexer.LBRACK;
import static dev.pgsleuth.normalize.Lexer.LPAREN;
import static dev.pgsleuth.normalize.Lexer.NUMBER;
import static dev.pgsleuth.normalize.Lexer.OP;
import static dev.pgsleuth.normalize.Lexer.PARAM;
import static dev.pgsleuth.normalize.Lexer.QIDENT;
import static dev.pgsleuth.normalize.Lexer.RPAREN;
import static dev.pgsleuth.normalize.Lexer.SEMI;
import static dev.pgsleuth.normalize.Lexer.STRING;

import java.util.Arrays;

/**
 * Hashes a lexed statement into a 64-bit fingerprint with pg_query's equivalences, using a light
 * parse over the token arrays instead of a parse tree: constants and parameters hash alike (and
 * casts of them vanish), IN lists, {@code = ANY(…)} and {@code = $1} hash alike, and the SELECT
 * list, the FROM list, UPDATE SET assignments, INSERT columns, VALUES rows and the operands of
 * AND / OR hash as sets (order-free, duplicates dropped). Aliases in the SELECT list and FROM
 * list, savepoint / cursor / prepared statement / channel names, and runs of two or more digits
 * in table names do not count. Set elements are sorted on a reusable stack, so hashing
 * allocates nothing.
 */
final class Fingerprinter {

    /** Nesting depth (brackets) beyond which a region is hashed flat, as pg_query cuts at 100. */
    private static final int MAX_DEPTH = 100;

    private static final long SEED = 0x2545F4914F6CDD1DL;
    /** Any constant or parameter. */
    static final long P = 0x5DEECE66DL;
    private static final long LIT_TERM = mix(SEED, P);
    private static final long EMPTY = 0x1L;
    private static final long TAG_QUERY = 0x51L;
    private static final long TAG_OR = 0x52L;
    private static final long TAG_AND = 0x53L;
    private static final long TAG_SET = 0x54L;
    private static final long TAG_LIST = 0x55L;
    private static final long TAG_PAREN = 0x56L;
    private static final long TAG_ROW = 0x57L;
    private static final long TAG_BRACKET = 0x58L;
    private static final long TAG_CAST = 0x59L;
    private static final long TAG_FROM_ITEM = 0x5AL;
    private static final long TAG_SUBQUERY = 0x5BL;

    private static final long JOIN_WORDS_LEFT = Lexer.keyword("left");
    private static final long RIGHT = Lexer.keyword("right");
    private static final long INNER = Lexer.keyword("inner");
    private static final long FULL = Lexer.keyword("full");
    private static final long OUTER = Lexer.keyword("outer");
    private static final long CROSS = Lexer.keyword("cross");
    private static final long NATURAL = Lexer.keyword("natural");
    private static final long VARYING = Lexer.keyword("varying");
    private static final long PRECISION = Lexer.keyword("precision");
    private static final long WITHOUT = Lexer.keyword("without");
    private static final long TIME = Lexer.keyword("time");
    private static final long ZONE = Lexer.keyword("zone");

    private final Lexer lx;
    private long[] stack = new long[64];
    private int sp;

    Fingerprinter(Lexer lexer) {
        this.lx = lexer;
    }

    /** The fingerprint of the lexed text; never throws. */
    long fingerprint() {
        sp = 0;
        long h;
        try {
            h = statements(0, lx.count);
        } catch (RuntimeException | StackOverflowError e) {
            // malformed input the light parse did not expect: a flat hash still groups equal text
            sp = 0;
            h = flat(0, lx.count);
        }
        return finish(h);
    }

    private long statements(int a, int b) {
        long h = SEED;
        int s = a;
        for (int i = a; i < b; i = skip(i, b)) {
            if (lx.type[i] == SEMI) {
                if (i > s) {
                    h = mix(h, statement(s, i, 0));
                }
                s = i + 1;
            }
        }
        if (b > s) {
            h = mix(h, statement(s, b, 0));
        }
        return h;
    }

    private long statement(int a, int b, int d) {
        if (a >= b) {
            return EMPTY;
        }
        if (d > MAX_DEPTH) {
            return flat(a, b);
        }
        int[] type = lx.type;
        if (type[a] == LPAREN && lx.match[a] == b - 1 && startsQuery(a + 1)) {
            return statement(a + 1, b - 1, d + 1);
        }
        if (type[a] == LPAREN || startsQuery(a) || lx.is(a, Keywords.INSERT) || lx.is(a, Keywords.UPDATE)
                || lx.is(a, Keywords.DELETE)) {
            return query(a, b, d);
        }
        if (type[a] != IDENT) {
            return expr(a, b, d);
        }
        long k = lx.hash[a];
        long h = mix(SEED, k);
        if (k == Keywords.SAVEPOINT || k == Keywords.RELEASE) {
            return h;
        }
        if (k == Keywords.ROLLBACK && indexOf(a, b, Keywords.TO) >= 0) {
            return mix(h, Keywords.TO);
        }
        if (k == Keywords.PREPARE && !lx.is(a + 1, Keywords.TRANSACTION)) {
            int as = indexOf(a, b, Keywords.AS);
            if (as < 0) {
                return h;
            }
            return mix(mix(h, flat(a + 2, as)), statement(as + 1, b, d + 1));
        }
        if (k == Keywords.EXECUTE || k == Keywords.LISTEN || k == Keywords.UNLISTEN || k == Keywords.NOTIFY) {
            return mix(h, a + 2 < b ? expr(a + 2, b, d + 1) : EMPTY);
        }
        if (k == Keywords.DEALLOCATE || k == Keywords.CLOSE) {
            return indexOf(a, b, Keywords.ALL) >= 0 ? mix(h, Keywords.ALL) : h;
        }
        if (k == Keywords.DECLARE) {
            int f = indexOf(a, b, Keywords.FOR);
            if (f < 0) {
                return h;
            }
            return mix(mix(h, flat(a + 2, f)), statement(f + 1, b, d + 1));
        }
        if (k == Keywords.FETCH || k == Keywords.MOVE) {
            int last = b - 1;
            boolean named = last > a && (type[last] == QIDENT
                    || (type[last] == IDENT && !Keywords.isReserved(lx.hash[last])));
            return mix(h, expr(a + 1, named ? last : b, d + 1));
        }
        if (k == Keywords.EXPLAIN) {
            int i = a + 1;
            if (i < b && type[i] == LPAREN) {
                h = mix(h, flat(i, Math.min(b, lx.match[i] + 1)));
                i = Math.min(b, lx.match[i] + 1);
            }
            while (i < b && type[i] == IDENT && !startsQuery(i) && !lx.is(i, Keywords.INSERT)
                    && !lx.is(i, Keywords.UPDATE) && !lx.is(i, Keywords.DELETE)) {
                h = mix(h, lx.hash[i]);
                i++;
            }
            return mix(h, statement(i, b, d + 1));
        }
        return expr(a, b, d);
    }

    /** SELECT / VALUES / INSERT / UPDATE / DELETE, split into clauses at top-level keywords. */
    private long query(int a, int b, int d) {
        long h = mix(SEED, TAG_QUERY);
        int cs = a;
        boolean update = false;
        boolean delete = false;
        for (int i = a; i < b; i = skip(i, b)) {
            if (lx.is(i, Keywords.UPDATE) || lx.is(i, Keywords.DO)) {
                update = true;
            } else if (lx.is(i, Keywords.DELETE)) {
                delete = true;
            }
            if (i > cs && clauseStart(i, a, update, delete)) {
                h = mix(h, clause(cs, i, d));
                cs = i;
            }
        }
        return mix(h, clause(cs, b, d));
    }

    private boolean clauseStart(int i, int a, boolean update, boolean delete) {
        if (lx.type[i] != IDENT) {
            return false;
        }
        long k = lx.hash[i];
        long prev = i > a && lx.type[i - 1] == IDENT ? lx.hash[i - 1] : 0;
        if (k == Keywords.SELECT || k == Keywords.WHERE || k == Keywords.GROUP || k == Keywords.HAVING
                || k == Keywords.WINDOW || k == Keywords.ORDER || k == Keywords.LIMIT || k == Keywords.OFFSET
                || k == Keywords.FETCH || k == Keywords.FOR || k == Keywords.UNION || k == Keywords.INTERSECT
                || k == Keywords.EXCEPT || k == Keywords.VALUES || k == Keywords.RETURNING) {
            return true;
        }
        if (k == Keywords.FROM) {
            return prev != Keywords.DISTINCT && prev != Keywords.DELETE;
        }
        if (k == Keywords.INSERT || k == Keywords.UPDATE || k == Keywords.DELETE) {
            return lx.type[i - 1] == RPAREN;
        }
        if (k == Keywords.SET) {
            return update;
        }
        if (k == Keywords.USING) {
            return delete;
        }
        return k == Keywords.ON && lx.is(i + 1, Keywords.CONFLICT);
    }

    private long clause(int s, int e, int d) {
        int[] type = lx.type;
        if (type[s] != IDENT) {
            return expr(s, e, d);
        }
        long k = lx.hash[s];
        long h = mix(SEED, k);
        int i = s + 1;
        if (k == Keywords.SELECT) {
            if (lx.is(i, Keywords.DISTINCT)) {
                h = mix(h, Keywords.DISTINCT);
                i++;
                if (lx.is(i, Keywords.ON) && i + 1 < e && type[i + 1] == LPAREN) {
                    h = mix(mix(h, Keywords.ON), paren(i + 1, d));
                    i = next(i + 1, e);
                }
            } else if (lx.is(i, Keywords.ALL)) {
                i++;
            }
            return mix(h, set(i, e, d, SetKind.TARGET));
        }
        if (k == Keywords.FROM || k == Keywords.USING) {
            return mix(h, set(i, e, d, SetKind.FROM_ITEM));
        }
        if (k == Keywords.UPDATE || k == Keywords.DELETE) {
            if (lx.is(i, Keywords.FROM)) {
                i++;
            }
            return mix(h, fromItem(i, e, d));
        }
        if (k == Keywords.INSERT) {
            return mix(h, insertTarget(i, e, d));
        }
        if (k == Keywords.SET) {
            return mix(h, set(i, e, d, SetKind.EXPR));
        }
        if (k == Keywords.VALUES) {
            return mix(h, set(i, e, d, SetKind.ROW));
        }
        if (k == Keywords.WHERE || k == Keywords.HAVING) {
            return mix(h, expr(i, e, d));
        }
        if ((k == Keywords.GROUP || k == Keywords.ORDER) && lx.is(i, Keywords.BY)) {
            i++;
        }
        return mix(h, list(i, e, d));
    }

    private long insertTarget(int i, int e, int d) {
        int[] type = lx.type;
        if (lx.is(i, Keywords.INTO)) {
            i++;
        }
        long h = SEED;
        int n = qualifiedNameEnd(i, e);
        h = mix(h, relationName(i, n));
        i = n;
        if (lx.is(i, Keywords.AS)) {
            i += 2;
        }
        if (i < e && type[i] == LPAREN) {
            int m = Math.min(e, lx.match[i]);
            h = mix(h, set(i + 1, m, d + 1, SetKind.EXPR));
            i = m + 1;
        }
        return i < e ? mix(h, expr(i, e, d)) : h;
    }

    private enum SetKind { TARGET, FROM_ITEM, EXPR, ROW }

    /** Comma-separated elements hashed as a set: sorted, duplicates dropped. */
    private long set(int a, int b, int d, SetKind kind) {
        int base = sp;
        int s = a;
        for (int i = a; i <= b; i = i < b ? skip(i, b) : b + 1) {
            if (i == b || lx.type[i] == COMMA) {
                if (i > s) {
                    push(element(s, i, d, kind));
                }
                s = i + 1;
            }
        }
        return combine(base, TAG_SET);
    }

    private long element(int a, int b, int d, SetKind kind) {
        switch (kind) {
            case TARGET:
                return expr(a, stripTargetAlias(a, b), d);
            case FROM_ITEM:
                return fromItem(a, b, d);
            case ROW:
                if (lx.type[a] == LPAREN && lx.match[a] == b - 1) {
                    return mix(TAG_ROW, list(a + 1, b - 1, d + 1));
                }
                return expr(a, b, d);
            default:
                return expr(a, b, d);
        }
    }

    /** End of a SELECT-list element without its {@code AS alias} or bare alias. */
    private int stripTargetAlias(int a, int b) {
        if (b - a < 2) {
            return b;
        }
        int[] type = lx.type;
        if (lx.is(b - 2, Keywords.AS)) {
            return b - 2;
        }
        int last = b - 1;
        boolean aliasWord = type[last] == QIDENT || (type[last] == IDENT && Keywords.canBeAlias(lx.hash[last]));
        if (!aliasWord) {
            return b;
        }
        int p = last - 1;
        int pt = type[p];
        boolean operandBefore = pt == RPAREN || pt == Lexer.RBRACK || pt == QIDENT || lx.isLiteral(p)
                || (pt == IDENT && Keywords.canBeAlias(lx.hash[p]))
                || (pt == OP && lx.end[p] - lx.start[p] == 1 && lx.src.charAt(lx.start[p]) == '*'
                    && (p == a || type[p - 1] == DOT));
        if (!operandBefore || castReaches(a, b)) {
            return b;
        }
        return last;
    }

    /** True when a {@code ::type} in the element runs to its end (a multi-word type, no alias). */
    private boolean castReaches(int a, int b) {
        for (int i = a; i < b; i = skip(i, b)) {
            if (lx.type[i] == CAST && typeNameEnd(i + 1, b) == b) {
                return true;
            }
        }
        return false;
    }

    /** A FROM item: a relation, function or subquery with its alias dropped, and its joins. */
    private long fromItem(int a, int b, int d) {
        if (d > MAX_DEPTH) {
            return flat(a, b);
        }
        int[] type = lx.type;
        long h = mix(SEED, TAG_FROM_ITEM);
        int i = a;
        while (i < b) {
            int t = type[i];
            long k = t == IDENT ? lx.hash[i] : 0;
            if (t == IDENT && isJoinWord(k)) {
                h = mix(h, k);
                i++;
            } else if (k == Keywords.ON) {
                int e = i + 1;
                while (e < b && !(type[e] == IDENT && isJoinWord(lx.hash[e]))) {
                    e = skip(e, b);
                }
                h = mix(mix(h, k), expr(i + 1, e, d));
                i = e;
            } else if (k == Keywords.USING) {
                h = mix(h, k);
                i++;
                if (i < b && type[i] == LPAREN) {
                    h = mix(h, paren(i, d));
                    i = next(i, b);
                }
            } else if (t == LPAREN) {
                int m = Math.min(b, lx.match[i]);
                h = mix(h, startsQuery(i + 1)
                        ? mix(TAG_SUBQUERY, statement(i + 1, m, d + 1)) : fromItem(i + 1, m, d + 1));
                i = skipAlias(Math.min(b, m + 1), b);
            } else if ((t == IDENT && !Keywords.isReserved(k)) || t == QIDENT) {
                int n = qualifiedNameEnd(i, b);
                if (n < b && type[n] == LPAREN) {
                    h = mix(h, term(i, next(n, b), d));
                    i = next(n, b);
                } else {
                    h = mix(h, relationName(i, n));
                    i = n;
                }
                i = skipAlias(i, b);
            } else {
                h = mix(h, tokenHash(i, d));
                i = next(i, b);
            }
        }
        return h;
    }

    private static boolean isJoinWord(long k) {
        return k == Keywords.JOIN || k == JOIN_WORDS_LEFT || k == RIGHT || k == INNER || k == FULL
                || k == OUTER || k == CROSS || k == NATURAL || k == Keywords.LATERAL || k == Keywords.ONLY;
    }

    private int skipAlias(int i, int b) {
        int[] type = lx.type;
        if (lx.is(i, Keywords.AS)) {
            i++;
        } else if (!(i < b && (type[i] == QIDENT || (type[i] == IDENT && Keywords.canBeAlias(lx.hash[i]))))) {
            return i;
        }
        if (i < b && (type[i] == IDENT || type[i] == QIDENT)) {
            i++;
        }
        if (i < b && type[i] == LPAREN) {
            i = next(i, b);
        }
        return i;
    }

    private int qualifiedNameEnd(int i, int b) {
        int[] type = lx.type;
        if (i < b && (type[i] == IDENT || type[i] == QIDENT)) {
            i++;
            while (i + 1 < b && type[i] == DOT && (type[i + 1] == IDENT || type[i + 1] == QIDENT)) {
                i += 2;
            }
        }
        return i;
    }

    /** A qualified table name; in its last part, runs of two or more digits do not count. */
    private long relationName(int a, int b) {
        long h = SEED;
        for (int i = a; i < b; i++) {
            if (lx.type[i] == DOT) {
                continue;
            }
            h = mix(h, i == b - 1 ? digitRunsStripped(i) : lx.hash[i]);
        }
        return h;
    }

    private long digitRunsStripped(int t) {
        String s = lx.src;
        int from = lx.start[t];
        int to = lx.end[t];
        if (lx.type[t] == QIDENT) {
            from++;
            to = s.charAt(to - 1) == '"' && to - 1 > from - 1 ? to - 1 : to;
        }
        long h = 0xcbf29ce484222325L;
        boolean quoted = lx.type[t] == QIDENT;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (Lexer.isDigit(c)) {
                int j = i;
                while (j < to && Lexer.isDigit(s.charAt(j))) {
                    j++;
                }
                if (j - i >= 2) {
                    i = j - 1;
                    continue;
                }
            } else if (!quoted && c >= 'A' && c <= 'Z') {
                c = (char) (c | 0x20);
            } else if (quoted && c == '"') {
                i++;
            }
            h = (h ^ c) * 0x100000001b3L;
        }
        return h;
    }

    /** Comma-separated elements hashed in order. */
    private long list(int a, int b, int d) {
        long h = mix(SEED, TAG_LIST);
        int s = a;
        for (int i = a; i <= b; i = i < b ? skip(i, b) : b + 1) {
            if (i == b || lx.type[i] == COMMA) {
                h = mix(h, expr(s, i, d));
                s = i + 1;
            }
        }
        return h;
    }

    /** An expression: its top-level OR operands, then AND operands, hash as sets. */
    private long expr(int a, int b, int d) {
        if (a >= b) {
            return EMPTY;
        }
        if (d > MAX_DEPTH) {
            return flat(a, b);
        }
        int base = sp;
        int s = a;
        for (int i = a; i < b; i = skip(i, b)) {
            if (lx.is(i, Keywords.OR)) {
                push(and(s, i, d));
                s = i + 1;
            }
        }
        if (sp == base) {
            return and(a, b, d);
        }
        push(and(s, b, d));
        return combine(base, TAG_OR);
    }

    private long and(int a, int b, int d) {
        int base = sp;
        int s = a;
        boolean between = false;
        for (int i = a; i < b; i = skip(i, b)) {
            if (lx.is(i, Keywords.BETWEEN)) {
                between = true;
            } else if (lx.is(i, Keywords.AND)) {
                if (between) {
                    between = false;
                } else {
                    push(term(s, i, d));
                    s = i + 1;
                }
            }
        }
        if (sp == base) {
            return term(a, b, d);
        }
        push(term(s, b, d));
        return combine(base, TAG_AND);
    }

    /** A sequence of tokens without top-level AND / OR. */
    private long term(int a, int b, int d) {
        int[] type = lx.type;
        long h = SEED;
        int i = a;
        while (i < b) {
            int t = type[i];
            if (lx.isLiteral(i)) {
                h = mix(h, P);
                i = skipCasts(i + 1, b);
                continue;
            }
            if (t == OP && isSign(i) && i + 1 < b && type[i + 1] == NUMBER && lx.operandExpectedAfter(i - 1)) {
                i++;
                continue;
            }
            if (t == IDENT) {
                long k = lx.hash[i];
                int n = i + 1;
                boolean call = n < b && type[n] == LPAREN;
                if (k == Keywords.NOT && lx.is(n, Keywords.IN) && n + 1 < b && type[n + 1] == LPAREN) {
                    h = mix(mix(h, Lexer.NOT_EQUALS), inList(n + 1, d));
                    i = next(n + 1, b);
                    continue;
                }
                if (k == Keywords.IN && call) {
                    h = mix(mix(h, Lexer.EQUALS), inList(n, d));
                    i = next(n, b);
                    continue;
                }
                if ((k == Keywords.ANY || k == Keywords.SOME || k == Keywords.ALL) && call) {
                    h = mix(h, anyArgument(n, d));
                    i = next(n, b);
                    continue;
                }
                if (k == Keywords.CAST && call && n + 3 < b && lx.isLiteral(n + 1) && lx.is(n + 2, Keywords.AS)) {
                    h = mix(h, P);
                    i = next(n, b);
                    continue;
                }
                if (k == Keywords.DEFAULT && i > 0 && (type[i - 1] == COMMA || type[i - 1] == LPAREN
                        || (type[i - 1] == OP && lx.hash[i - 1] == Lexer.EQUALS))) {
                    h = mix(h, P);
                    i++;
                    continue;
                }
                if (Keywords.isTypePrefix(k)) {
                    int j = n;
                    if (call && typmodsOnly(n)) {
                        j = next(n, b);
                    }
                    if (j < b && (type[j] == STRING || type[j] == PARAM)) {
                        h = mix(h, P);
                        i = skipCasts(j + 1, b);
                        continue;
                    }
                }
                if (call) {
                    int m = Math.min(b, lx.match[n]);
                    h = mix(mix(h, k), startsQuery(n + 1)
                            ? mix(TAG_SUBQUERY, statement(n + 1, m, d + 1)) : list(n + 1, m, d + 1));
                    i = next(n, b);
                    continue;
                }
                h = mix(h, k);
                i++;
                continue;
            }
            if (t == CAST) {
                int e = typeNameEnd(i + 1, b);
                h = mix(mix(h, TAG_CAST), flat(i + 1, e));
                i = Math.max(e, i + 1);
                continue;
            }
            h = mix(h, tokenHash(i, d));
            i = next(i, b);
        }
        return h;
    }

    /** Hash of one token, or of a bracketed group starting at it. */
    private long tokenHash(int i, int d) {
        int t = lx.type[i];
        if (t == LPAREN) {
            return paren(i, d);
        }
        if (t == LBRACK) {
            int m = Math.min(lx.count, lx.match[i]);
            return mix(TAG_BRACKET, list(i + 1, m, d + 1));
        }
        if (lx.isLiteral(i)) {
            return P;
        }
        return t == IDENT || t == QIDENT || t == OP ? lx.hash[i] : t;
    }

    private long paren(int i, int d) {
        int m = Math.min(lx.count, lx.match[i]);
        int a = i + 1;
        if (a >= m) {
            return TAG_PAREN;
        }
        if (startsQuery(a)) {
            return mix(TAG_SUBQUERY, statement(a, m, d + 1));
        }
        for (int j = a; j < m; j = skip(j, m)) {
            if (lx.type[j] == COMMA) {
                return mix(TAG_ROW, list(a, m, d + 1));
            }
        }
        return mix(TAG_PAREN, expr(a, m, d + 1));
    }

    /** {@code IN (…)}: a subquery, or a set of values where any number of constants counts as one. */
    private long inList(int lp, int d) {
        int m = Math.min(lx.count, lx.match[lp]);
        if (startsQuery(lp + 1)) {
            return mix(TAG_SUBQUERY, statement(lp + 1, m, d + 1));
        }
        return values(lp + 1, m, d + 1);
    }

    private long values(int a, int b, int d) {
        int base = sp;
        int s = a;
        for (int i = a; i <= b; i = i < b ? skip(i, b) : b + 1) {
            if (i == b || lx.type[i] == COMMA) {
                if (i > s) {
                    push(expr(s, i, d));
                }
                s = i + 1;
            }
        }
        if (sp - base >= 1) {
            Arrays.sort(stack, base, sp);
            if (stack[base] == stack[sp - 1]) {
                long only = stack[base];
                sp = base;
                return only == LIT_TERM ? P : only;
            }
        }
        return combine(base, TAG_SET);
    }

    /** {@code ANY (…)}: like IN, so {@code = ANY($1)}, {@code = ANY(ARRAY[…])} and {@code = $1} agree. */
    private long anyArgument(int lp, int d) {
        int m = Math.min(lx.count, lx.match[lp]);
        int a = lp + 1;
        if (startsQuery(a)) {
            return mix(TAG_SUBQUERY, statement(a, m, d + 1));
        }
        if (lx.is(a, Keywords.ARRAY) && a + 1 < m && lx.type[a + 1] == LBRACK && lx.match[a + 1] == m - 1) {
            return values(a + 2, m - 1, d + 1);
        }
        long h = expr(a, m, d + 1);
        return h == LIT_TERM ? P : mix(TAG_PAREN, h);
    }

    private boolean typmodsOnly(int lp) {
        int m = lx.match[lp];
        if (m <= lp + 1 || m >= lx.count) {
            return false;
        }
        for (int j = lp + 1; j < m; j++) {
            if (lx.type[j] != NUMBER && lx.type[j] != COMMA) {
                return false;
            }
        }
        return true;
    }

    private int skipCasts(int i, int b) {
        while (i < b && lx.type[i] == CAST) {
            i = Math.max(typeNameEnd(i + 1, b), i + 1);
        }
        return i;
    }

    /** End of a type name: qualified name, multi-word forms, typmods and array bounds. */
    int typeNameEnd(int i, int b) {
        int[] type = lx.type;
        if (!(i < b && (type[i] == IDENT || type[i] == QIDENT))) {
            return i;
        }
        i = qualifiedNameEnd(i, b);
        if (lx.is(i, VARYING) || lx.is(i, PRECISION)) {
            i++;
        }
        if (i < b && type[i] == LPAREN) {
            i = next(i, b);
        }
        if ((lx.is(i, Keywords.WITH) || lx.is(i, WITHOUT)) && lx.is(i + 1, TIME) && lx.is(i + 2, ZONE)) {
            i += 3;
        }
        while (i < b && type[i] == LBRACK) {
            i = next(i, b);
        }
        return Math.min(i, b);
    }

    private boolean startsQuery(int i) {
        if (i >= lx.count) {
            return false;
        }
        if (lx.type[i] == LPAREN) {
            return startsQuery(i + 1);
        }
        return lx.is(i, Keywords.SELECT) || lx.is(i, Keywords.WITH) || lx.is(i, Keywords.VALUES)
                || lx.is(i, Keywords.TABLE);
    }

    private boolean isSign(int i) {
        char c = lx.src.charAt(lx.start[i]);
        return lx.end[i] - lx.start[i] == 1 && (c == '-' || c == '+');
    }

    private int indexOf(int a, int b, long keyword) {
        for (int i = a; i < b; i = skip(i, b)) {
            if (lx.is(i, keyword)) {
                return i;
            }
        }
        return -1;
    }

    /** The token after {@code i}, jumping over a bracketed group. */
    private int skip(int i, int b) {
        int t = lx.type[i];
        if ((t == LPAREN || t == LBRACK) && lx.match[i] > i) {
            return Math.min(b, lx.match[i] + 1);
        }
        return i + 1;
    }

    private int next(int i, int b) {
        return skip(i, b);
    }

    /** Tokens hashed one by one, constants as {@link #P}: the fallback without structure. */
    private long flat(int a, int b) {
        long h = SEED;
        for (int i = a; i < b; i++) {
            h = mix(h, lx.isLiteral(i) ? P : (lx.type[i] == IDENT || lx.type[i] == QIDENT || lx.type[i] == OP)
                    ? lx.hash[i] : lx.type[i]);
        }
        return h;
    }

    private void push(long v) {
        if (sp == stack.length) {
            stack = Arrays.copyOf(stack, sp * 2);
        }
        stack[sp++] = v;
    }

    /** Folds the elements pushed since {@code base} as a set, and pops them. */
    private long combine(int base, long tag) {
        Arrays.sort(stack, base, sp);
        long h = mix(SEED, tag);
        for (int i = base; i < sp; i++) {
            if (i == base || stack[i] != stack[i - 1]) {
                h = mix(h, stack[i]);
            }
        }
        sp = base;
        return h;
    }

    static long mix(long h, long v) {
        h ^= v + 0x9E3779B97F4A7C15L + (h << 6) + (h >>> 2);
        h *= 0xbf58476d1ce4e5b9L;
        return h ^ (h >>> 31);
    }

    private static long finish(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        return h ^ (h >>> 33);
    }
}
