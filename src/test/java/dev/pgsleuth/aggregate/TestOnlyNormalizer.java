package dev.pgsleuth.aggregate;

import dev.pgsleuth.model.NormalizedStatement;
import dev.pgsleuth.model.QueryShape;
import dev.pgsleuth.model.StatementKind;
import dev.pgsleuth.normalize.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * TEST ONLY, a stand-in until the real {@code SqlNormalizer} is merged: collapses whitespace,
 * replaces quoted strings and numbers by {@code $n}, fingerprints the result with 64-bit FNV-1a,
 * and guesses kind and tables from keywords. Not the project's normalizer.
 */
public final class TestOnlyNormalizer implements Normalizer {
    public int shapeCalls;

    @Override
    public NormalizedStatement normalize(String sql) {
        StringBuilder b = new StringBuilder();
        List<String> literals = new ArrayList<>();
        int n = sql.length();
        int i = 0;
        boolean space = false;
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                space = b.length() > 0;
                i++;
                continue;
            }
            if (space) {
                b.append(' ');
                space = false;
            }
            if (c == '\'') {
                int end = sql.indexOf('\'', i + 1);
                end = end < 0 ? n : end;
                literals.add(sql.substring(i + 1, end));
                b.append('$').append(literals.size());
                i = end + 1;
            } else if (Character.isDigit(c) && (b.length() == 0 || !Character.isLetterOrDigit(b.charAt(b.length() - 1))
                    && b.charAt(b.length() - 1) != '$' && b.charAt(b.length() - 1) != '_')) {
                int j = i;
                while (j < n && (Character.isDigit(sql.charAt(j)) || sql.charAt(j) == '.')) {
                    j++;
                }
                literals.add(sql.substring(i, j));
                b.append('$').append(literals.size());
                i = j;
            } else {
                b.append(c);
                i++;
            }
        }
        String text = b.toString();
        long h = 0xcbf29ce484222325L;
        for (int k = 0; k < text.length(); k++) {
            h ^= text.charAt(k);
            h *= 0x100000001b3L;
        }
        return new NormalizedStatement(String.format("%016x", h), text, literals);
    }

    @Override
    public QueryShape shape(NormalizedStatement s) {
        shapeCalls++;
        String[] words = s.text().split("[ ,;()]+");
        StatementKind kind = switch (words.length == 0 ? "" : words[0].toUpperCase(Locale.ROOT)) {
            case "SELECT", "WITH" -> StatementKind.SELECT;
            case "INSERT" -> StatementKind.INSERT;
            case "UPDATE" -> StatementKind.UPDATE;
            case "DELETE" -> StatementKind.DELETE;
            case "BEGIN", "COMMIT", "ROLLBACK" -> StatementKind.TRANSACTION;
            case "CREATE", "ALTER", "DROP" -> StatementKind.DDL;
            default -> StatementKind.OTHER;
        };
        List<String> tables = new ArrayList<>();
        for (int i = 0; i + 1 < words.length; i++) {
            String w = words[i].toUpperCase(Locale.ROOT);
            if (w.equals("FROM") || w.equals("JOIN") || w.equals("INTO") || (i == 0 && w.equals("UPDATE"))) {
                String t = words[i + 1].replace("\"", "");
                if (!t.isEmpty() && !t.startsWith("$") && !tables.contains(t)) {
                    tables.add(t);
                }
            }
        }
        return new QueryShape(s.fingerprint(), kind, tables, List.of(), List.of(), List.of(), false, false, false, true);
    }
}
