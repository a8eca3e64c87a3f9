package dev.pgsleuth.normalize;

import static dev.pgsleuth.normalize.Lexer.COMMA;
import static dev.pgsleuth.normalize.Lexer.IDENT;
import static dev.pgsleuth.normalize.Lexer.LPAREN;
import static dev.pgsleuth.normalize.Lexer.NUMBER;
import static dev.pgsleuth.normalize.Lexer.OP;
import static dev.pgsleuth.normalize.Lexer.RPAREN;
import static dev.pgsleuth.normalize.Lexer.SEMI;
import static dev.pgsleuth.normalize.Lexer.STRING;

import dev.pgsleuth.model.NormalizedStatement;
import dev.pgsleuth.model.QueryShape;
import java.util.ArrayList;
import java.util.List;

/**
 * The normalizer: a hand-written PostgreSQL lexer and a token-level fingerprint for every
 * statement, the lexer's kind, tables and flags of each fingerprint ({@link #outline}),
 * JSQLParser once per fingerprint whose full {@link QueryShape} is asked for.
 *
 * <p>{@link #normalize} replaces constants with {@code $n} (numbered after the highest {@code $n}
 * already present, as pg_query does), drops comments and collapses whitespace; integers that are
 * type modifiers ({@code varchar(50)}) or positions in GROUP BY / ORDER BY stay, since replacing
 * them would change the statement. The fingerprint follows pg_query's equivalences (see
 * {@code Fingerprinter}) and also ignores the names of savepoints, cursors, prepared statements
 * and LISTEN channels.
 *
 * <p>Thread-safe: lexer buffers are per thread, the shape cache is concurrent and bounded.
 */
public final class SqlNormalizer implements Normalizer {

    /** Shape cache capacity of the no-argument constructor. */
    public static final int DEFAULT_SHAPE_CACHE_CAPACITY = 100_000;

    /** Token arrays above this many entries are not kept for the next statement. */
    private static final int RETAINED_TOKENS = 1 << 16;

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final ThreadLocal<Work> work = ThreadLocal.withInitial(Work::new);
    private final ShapeCache shapes;
    private final ShapeCache outlines;

    /** A normalizer whose shape cache holds {@value #DEFAULT_SHAPE_CACHE_CAPACITY} shapes. */
    public SqlNormalizer() {
        this(DEFAULT_SHAPE_CACHE_CAPACITY);
    }

    /** A normalizer whose shape cache holds at most {@code shapeCacheCapacity} shapes. */
    public SqlNormalizer(int shapeCacheCapacity) {
        if (shapeCacheCapacity < 1) {
            throw new IllegalArgumentException("shape cache capacity must be positive: " + shapeCacheCapacity);
        }
        this.shapes = new ShapeCache(shapeCacheCapacity);
        this.outlines = new ShapeCache(shapeCacheCapacity);
    }

    @Override
    public NormalizedStatement normalize(String sql) {
        return normalize(sql, work.get());
    }

    /**
     * This thread's normalizer, for a loop over many statements on one thread: {@link #normalize}
     * without looking up the thread's buffers for each statement (a thread-local lookup cost as
     * much as a memoized statement). Not to be handed to another thread.
     */
    public ThreadNormalizer onThisThread() {
        Work w = work.get();
        return sql -> normalize(sql, w);
    }

    /** A {@link SqlNormalizer} bound to one thread's buffers (see {@link #onThisThread}). */
    @FunctionalInterface
    public interface ThreadNormalizer {
        NormalizedStatement normalize(String sql);
    }

    private NormalizedStatement normalize(String sql, Work w) {
        String in = sql == null ? "" : sql;
        int slot = in.hashCode() & (Work.MEMO - 1);
        String seen = w.memoSql[slot];
        if (seen != null && seen.equals(in)) {
            return w.memo[slot];
        }
        Lexer lx = w.lexer;
        lx.lex(in);
        long fp = w.fingerprint();
        List<String> literals = new ArrayList<>(0);
        String text = text(lx, w.text, literals);
        if (lx.count > RETAINED_TOKENS) {
            work.remove();
        }
        NormalizedStatement out = new NormalizedStatement(hex(fp), text, literals.isEmpty() ? List.of() : literals);
        if (literals.isEmpty() && in.length() <= Work.MEMO_MAX_LENGTH) {
            w.memoSql[slot] = in;
            w.memo[slot] = out;
        }
        return out;
    }

    @Override
    public QueryShape shape(NormalizedStatement statement) {
        return shapes.get(statement, ShapeExtractor::extract);
    }

    /**
     * Kind, tables and flags from the lexer where it tells them as the parser would (most ORM and
     * pgbench SQL), else from {@link #shape}: the SQL parser costs 0.3-2 ms a shape, so it runs
     * only for the shapes whose columns are asked for, or whose tables or flags need it.
     */
    @Override
    public QueryShape outline(NormalizedStatement statement) {
        return outlines.get(statement, st -> {
            QueryShape lexed = LexerOutline.of(st.fingerprint(), st.text(), work.get().lexer);
            return lexed != null ? lexed : shape(st);
        });
    }

    /** Number of shapes (parsed by JSQLParser) currently cached. */
    public int cachedShapes() {
        return shapes.size();
    }

    /** Number of outlines currently cached. */
    public int cachedOutlines() {
        return outlines.size();
    }

    private static String text(Lexer lx, StringBuilder b, List<String> literals) {
        b.setLength(0);
        String src = lx.src;
        int next = lx.maxParam;
        int depth = 0;
        int byDepth = -1;
        // where the open run of tokens kept as they are starts in the source (-1: none): a run is
        // copied in one piece when it ends, as the source between its tokens already reads as the
        // text (nothing, or one space); other whitespace and literals end it
        int verbatim = -1;
        for (int t = 0; t < lx.count; t++) {
            int type = lx.type[t];
            boolean gap = t > 0 && lx.start[t] > lx.end[t - 1];
            if (verbatim >= 0 && gap && !(lx.start[t] == lx.end[t - 1] + 1 && src.charAt(lx.end[t - 1]) == ' ')) {
                b.append(src, verbatim, lx.end[t - 1]);
                verbatim = -1;
            }
            if (verbatim < 0 && gap) {
                b.append(' ');
            }
            if (type == LPAREN) {
                depth++;
            } else if (type == RPAREN) {
                depth--;
                if (depth < byDepth) {
                    byDepth = -1;
                }
            } else if (type == SEMI) {
                byDepth = -1;
            } else if (type == IDENT) {
                long k = lx.hash[t];
                if (k == Keywords.BY && (lx.is(t - 1, Keywords.GROUP) || lx.is(t - 1, Keywords.ORDER))) {
                    byDepth = depth;
                } else if (depth == byDepth && endsByList(k)) {
                    byDepth = -1;
                }
            }
            boolean literal = type == STRING || (type == NUMBER && !keptNumber(lx, t, depth == byDepth));
            boolean negative = !literal && type == OP && t + 1 < lx.count && lx.type[t + 1] == NUMBER
                    && isMinus(lx, t) && lx.operandExpectedAfter(t - 1) && !keptNumber(lx, t + 1, depth == byDepth);
            if (literal || negative) {
                if (verbatim >= 0) {
                    b.append(src, verbatim, lx.end[t - 1]);
                    if (gap) {
                        b.append(' ');
                    }
                    verbatim = -1;
                }
                b.append('$').append(++next);
                if (literal) {
                    literals.add(lx.literalValue(t));
                } else {
                    literals.add('-' + lx.literalValue(t + 1));
                    t++;
                }
                continue;
            }
            if (verbatim < 0) {
                verbatim = lx.start[t];
            }
        }
        if (verbatim >= 0) {
            b.append(src, verbatim, lx.end[lx.count - 1]);
        }
        return b.toString();
    }

    private static boolean endsByList(long k) {
        return k == Keywords.LIMIT || k == Keywords.OFFSET || k == Keywords.HAVING || k == Keywords.WINDOW
                || k == Keywords.FETCH || k == Keywords.FOR || k == Keywords.UNION || k == Keywords.INTERSECT
                || k == Keywords.EXCEPT || k == Keywords.RETURNING || k == Keywords.ORDER;
    }

    /** Integers that are type modifiers or GROUP BY / ORDER BY positions keep their value. */
    private static boolean keptNumber(Lexer lx, int t, boolean inByList) {
        int p = t - 1;
        if (p < 0) {
            return false;
        }
        int pt = lx.type[p];
        if (inByList && (pt == COMMA || lx.is(p, Keywords.BY))) {
            int n = t + 1;
            return n >= lx.count || lx.type[n] == COMMA || lx.type[n] == RPAREN || lx.type[n] == SEMI
                    || lx.is(n, Keywords.ASC) || lx.is(n, Keywords.DESC) || lx.is(n, Keywords.NULLS)
                    || (lx.type[n] == IDENT && endsByList(lx.hash[n]));
        }
        if (pt == COMMA && p >= 2 && lx.type[p - 1] == NUMBER && lx.type[p - 2] == LPAREN) {
            p -= 2;
        } else if (pt != LPAREN) {
            return false;
        }
        int n = t + 1;
        boolean closes = n < lx.count && (lx.type[n] == RPAREN || lx.type[n] == COMMA);
        return closes && p > 0 && lx.type[p - 1] == IDENT && Keywords.hasTypmod(lx.hash[p - 1]);
    }

    private static boolean isMinus(Lexer lx, int t) {
        return lx.end[t] - lx.start[t] == 1 && lx.src.charAt(lx.start[t]) == '-';
    }

    static String hex(long v) {
        char[] c = new char[16];
        for (int i = 15; i >= 0; i--) {
            c[i] = HEX[(int) (v & 0xf)];
            v >>>= 4;
        }
        return new String(c);
    }

    /** Per-thread buffers, and the fingerprints of token streams this thread has seen. */
    private static final class Work {
        private static final int SEEN = 1 << 14;
        /**
         * Statements without constants (extended protocol, ORMs) repeat verbatim: their result is
         * kept by exact text, direct-mapped, so a repeat costs a hash and a compare, not a lex.
         * Room for four times the few thousand shapes of a busy application, so that two texts in
         * use seldom take turns in one slot (with 3,000 shapes in 4,096 slots, half the texts did).
         */
        static final int MEMO = 1 << 14;
        static final int MEMO_MAX_LENGTH = 4096;

        final Lexer lexer = new Lexer();
        final Fingerprinter fingerprinter = new Fingerprinter(lexer);
        final StringBuilder text = new StringBuilder(256);
        // direct-mapped: token-stream key -> fingerprint; a repeated shape skips the light parse
        private final long[] seenKey = new long[SEEN];
        private final long[] seenFingerprint = new long[SEEN];
        final String[] memoSql = new String[MEMO];
        final NormalizedStatement[] memo = new NormalizedStatement[MEMO];

        /**
         * The fingerprint depends only on the token kinds and hashes (constants all hash alike),
         * so a key over those finds a shape seen before without re-running the structure pass.
         */
        long fingerprint() {
            Lexer lx = lexer;
            long key = 0x9E3779B97F4A7C15L + lx.count;
            for (int t = 0; t < lx.count; t++) {
                key = Fingerprinter.mix(key, lx.hash[t] * 31 + lx.type[t]);
            }
            int slot = (int) (key ^ (key >>> 32)) & (SEEN - 1);
            if (seenKey[slot] == key && key != 0) {
                return seenFingerprint[slot];
            }
            long fp = fingerprinter.fingerprint();
            seenKey[slot] = key;
            seenFingerprint[slot] = fp;
            return fp;
        }
    }
}
