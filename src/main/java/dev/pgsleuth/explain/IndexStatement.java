package dev.pgsleuth.explain;

import dev.pgsleuth.explain.SqlScanner.Kind;
import dev.pgsleuth.explain.SqlScanner.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The {@code CREATE INDEX} of a suggestion, taken apart before anything is sent: a suggestion may hold
 * that one statement and {@code CREATE EXTENSION IF NOT EXISTS} lines for what it needs, nothing else.
 *
 * @param sql        the index statement as it is run: without {@code CONCURRENTLY} (which cannot run
 *                   in a transaction block, and locks nothing a rolled-back build would not) and
 *                   without a trailing semicolon
 * @param name       the index name, or {@code null} when the statement gives none
 * @param extensions extensions the suggestion creates first ({@code pg_trgm}); the check needs them installed
 * @param functions  functions the index expressions or predicate call, lower-cased
 */
record IndexStatement(String sql, String name, List<String> extensions, List<String> functions) {

    /** Words that a parenthesis may follow without being a function call. */
    private static final Set<String> NOT_CALLS = Set.of("include", "where", "with", "and", "or", "not", "in", "on", "only");

    /**
     * Functions a real index build (the opt-in transaction check) may evaluate on every row: built-in,
     * immutable, side-effect free. Any other function, a user's own above all, is refused, because the
     * build would run it in a read-write transaction.
     */
    static final Set<String> BUILD_FUNCTIONS = Set.of("lower", "upper");

    static IndexStatement parse(String suggestion) {
        if (suggestion == null || suggestion.isBlank()) {
            throw new IllegalArgumentException("the suggestion has no SQL");
        }
        List<Token> tokens = SqlScanner.tokens(suggestion);
        List<String> extensions = new ArrayList<>();
        IndexStatement index = null;
        int from = 0;
        for (int i = 0; i <= tokens.size(); i++) {
            if (i < tokens.size() && !(tokens.get(i).kind() == Kind.SYMBOL && tokens.get(i).text().equals(";"))) {
                continue;
            }
            List<Token> piece = tokens.subList(from, i);
            from = i + 1;
            if (piece.isEmpty()) {
                continue;
            }
            if (isWord(piece, 0, "create") && isWord(piece, 1, "extension") && piece.size() == 6
                    && isWord(piece, 2, "if") && isWord(piece, 3, "not") && isWord(piece, 4, "exists")) {
                extensions.add(piece.get(5).text());
            } else if (isWord(piece, 0, "create") && (isWord(piece, 1, "index")
                    || (isWord(piece, 1, "unique") && isWord(piece, 2, "index")))) {
                if (index != null) {
                    throw new IllegalArgumentException("the suggestion creates more than one index");
                }
                index = index(suggestion, piece);
            } else {
                throw new IllegalArgumentException("the suggestion holds a statement other than CREATE INDEX");
            }
        }
        if (index == null) {
            throw new IllegalArgumentException("the suggestion creates no index");
        }
        return new IndexStatement(index.sql, index.name, List.copyOf(extensions), index.functions);
    }

    private static IndexStatement index(String text, List<Token> piece) {
        int i = isWord(piece, 1, "unique") ? 3 : 2;
        StringBuilder sql = new StringBuilder(text.substring(piece.get(0).start(), piece.get(i).start()));
        int rest = i;
        if (isWord(piece, i, "concurrently")) {
            rest = i + 1;
            i++;
        }
        if (isWord(piece, i, "if") && isWord(piece, i + 1, "not") && isWord(piece, i + 2, "exists")) {
            i += 3;
        }
        String name = null;
        if (i < piece.size() && !isWord(piece, i, "on")) {
            name = piece.get(i).text();
        }
        if (rest >= piece.size()) {
            throw new IllegalArgumentException("the index statement is incomplete");
        }
        sql.append(text, piece.get(rest).start(), piece.get(piece.size() - 1).end());
        List<String> functions = new ArrayList<>();
        for (int k = 1; k < piece.size(); k++) {
            Token t = piece.get(k);
            Token before = piece.get(k - 1);
            if (t.kind() != Kind.SYMBOL || !t.text().equals("(")
                    || (before.kind() != Kind.WORD && before.kind() != Kind.QUOTED_IDENT)) {
                continue;
            }
            boolean tableOrMethod = k >= 2 && piece.get(k - 2).kind() == Kind.WORD
                    && Set.of("on", "only", "using").contains(piece.get(k - 2).text());
            boolean qualifiedTable = k >= 4 && piece.get(k - 2).text().equals(".")
                    && Set.of("on", "only").contains(piece.get(k - 4).text());
            if (!tableOrMethod && !qualifiedTable && !(before.kind() == Kind.WORD && NOT_CALLS.contains(before.text()))) {
                functions.add(before.text());
            }
        }
        return new IndexStatement(sql.toString(), name, List.of(), List.copyOf(functions));
    }

    private static boolean isWord(List<Token> tokens, int i, String word) {
        return i < tokens.size() && tokens.get(i).kind() == Kind.WORD && tokens.get(i).text().equals(word);
    }

    /** The first function a real build of this index must not run, or {@code null}. */
    String functionNotAllowedInBuild() {
        for (String f : functions) {
            if (!BUILD_FUNCTIONS.contains(f)) {
                return f;
            }
        }
        return null;
    }
}
