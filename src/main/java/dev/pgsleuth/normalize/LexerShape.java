package dev.pgsleuth.normalize;

import static dev.pgsleuth.normalize.Lexer.DOT;
import static dev.pgsleuth.normalize.Lexer.IDENT;
import static dev.pgsleuth.normalize.Lexer.LPAREN;
import static dev.pgsleuth.normalize.Lexer.QIDENT;
import static dev.pgsleuth.normalize.Lexer.RPAREN;

import dev.pgsleuth.model.QueryShape;
import dev.pgsleuth.model.StatementKind;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What the lexer alone tells about a statement JSQLParser could not parse (or that is no DML):
 * the kind from its first keyword, the tables named after FROM / JOIN / UPDATE / INTO, and the
 * JOIN / LIMIT / aggregate flags. Columns are left empty: without a parse they cannot be tied to
 * tables reliably.
 */
final class LexerShape {

    private static final Set<String> AGGREGATE_CALLS = Set.of("count", "sum", "avg", "min", "max",
            "array_agg", "string_agg", "json_agg", "jsonb_agg", "bool_and", "bool_or");

    private LexerShape() {
    }

    /**
     * The lexer's shape of {@code text}; {@code parsed} says whether JSQLParser did read it (a
     * parsed statement that is no SELECT / INSERT / UPDATE / DELETE / MERGE lands here too).
     */
    static QueryShape of(String fingerprint, String text, boolean parsed) {
        Lexer lx = new Lexer();
        lx.lex(text);
        StatementKind kind = kind(lx);
        Set<String> tables = new LinkedHashSet<>();
        boolean join = false;
        boolean limit = false;
        boolean aggregate = false;
        for (int i = 0; i < lx.count; i++) {
            if (lx.type[i] != IDENT) {
                continue;
            }
            String w = word(lx, i);
            switch (w) {
                case "join":
                    join = true;
                    addTable(lx, i + 1, tables);
                    break;
                case "from":
                    if (!lx.is(i - 1, Keywords.DISTINCT)) {
                        addTable(lx, i + 1, tables);
                    }
                    break;
                case "into":
                case "update":
                    if (!lx.is(i - 1, Keywords.FOR) && !lx.is(i - 1, Keywords.DO)) {
                        addTable(lx, i + 1, tables);
                    }
                    break;
                case "limit":
                case "fetch":
                    limit = limit || i > 0;
                    break;
                case "group":
                    aggregate = aggregate || lx.is(i + 1, Keywords.BY);
                    break;
                default:
                    aggregate = aggregate || (AGGREGATE_CALLS.contains(w) && i + 1 < lx.count && lx.type[i + 1] == LPAREN);
            }
        }
        return new QueryShape(fingerprint, kind, List.copyOf(tables), List.of(), List.of(), List.of(),
                join, aggregate, limit && kind == StatementKind.SELECT, parsed);
    }

    private static void addTable(Lexer lx, int i, Set<String> tables) {
        while (lx.is(i, Keywords.ONLY) || lx.is(i, Keywords.LATERAL)) {
            i++;
        }
        if (i >= lx.count || (lx.type[i] != IDENT && lx.type[i] != QIDENT)
                || (lx.type[i] == IDENT && Keywords.isReserved(lx.hash[i]))) {
            return;
        }
        StringBuilder b = new StringBuilder(part(lx, i));
        while (i + 2 < lx.count && lx.type[i + 1] == DOT && (lx.type[i + 2] == IDENT || lx.type[i + 2] == QIDENT)) {
            i += 2;
            b.append('.').append(part(lx, i));
        }
        if (i + 1 < lx.count && lx.type[i + 1] == LPAREN && lx.type[i] == IDENT && !lx.is(i - 1, Keywords.INTO)) {
            return;
        }
        tables.add(b.toString());
    }

    private static String part(Lexer lx, int i) {
        return ShapeExtractor.ident(lx.src.substring(lx.start[i], lx.end[i]));
    }

    private static String word(Lexer lx, int i) {
        return lx.src.substring(lx.start[i], lx.end[i]).toLowerCase(Locale.ROOT);
    }

    /** The statement kind from the first keyword (after a WITH clause, the first DML keyword). */
    static StatementKind kind(Lexer lx) {
        int i = 0;
        while (i < lx.count && lx.type[i] == LPAREN) {
            i++;
        }
        if (i >= lx.count || lx.type[i] != IDENT) {
            return StatementKind.OTHER;
        }
        String w = word(lx, i);
        if (w.equals("with")) {
            int depth = 0;
            for (int j = i + 1; j < lx.count; j++) {
                if (lx.type[j] == LPAREN) {
                    depth++;
                } else if (lx.type[j] == RPAREN) {
                    depth--;
                } else if (depth == 0 && lx.type[j] == IDENT) {
                    String v = word(lx, j);
                    if (v.equals("select") || v.equals("insert") || v.equals("update") || v.equals("delete")
                            || v.equals("merge") || v.equals("values")) {
                        return kindOf(v);
                    }
                }
            }
        }
        return kindOf(w);
    }

    private static StatementKind kindOf(String w) {
        switch (w) {
            case "select": case "with": case "values": case "table":
                return StatementKind.SELECT;
            case "insert": return StatementKind.INSERT;
            case "update": return StatementKind.UPDATE;
            case "delete": return StatementKind.DELETE;
            case "merge": return StatementKind.MERGE;
            case "copy": return StatementKind.COPY;
            case "create": case "alter": case "drop": case "truncate": case "comment": case "grant":
            case "revoke": case "security":
                return StatementKind.DDL;
            case "begin": case "start": case "commit": case "end": case "rollback": case "abort":
            case "savepoint": case "release":
                return StatementKind.TRANSACTION;
            case "set": case "show": case "reset": case "vacuum": case "analyze": case "analyse":
            case "explain": case "listen": case "unlisten": case "notify": case "declare": case "fetch":
            case "close": case "move": case "discard": case "lock": case "prepare": case "execute":
            case "deallocate": case "checkpoint": case "cluster": case "reindex": case "refresh": case "do":
            case "call": case "load":
                return StatementKind.UTILITY;
            default:
                return StatementKind.OTHER;
        }
    }
}
