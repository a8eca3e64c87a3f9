package dev.pgsleuth.detect.nplusone;

import dev.pgsleuth.model.NormalizedStatement;
import dev.pgsleuth.model.QueryShape;
import dev.pgsleuth.model.StatementKind;
import dev.pgsleuth.normalize.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small stand-in for the project's normalizer, for unit tests only: numbers and string
 * literals become {@code $n} (after the highest bind placeholder), whitespace collapses, and the
 * shape comes from a few regular expressions. Enough for the SQL shapes these tests use.
 */
final class TestNormalizer implements Normalizer {
    private static final Pattern LITERAL = Pattern.compile("'[^']*(?:''[^']*)*'|(?<![\\w$.\"])\\d+(?:\\.\\d+)?(?![\\w])");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$(\\d+)");
    private static final Pattern TABLE = Pattern.compile("(?i)\\b(?:from|join)\\s+((?:\"[^\"]+\"|[\\w]+)(?:\\.(?:\"[^\"]+\"|\\w+))?)");
    private static final Pattern FILTER = Pattern.compile("(?i)([\\w\".]+)\\s*(?:=|\\bin\\s*\\()\\s*\\$\\d+|\\$\\d+\\s*=\\s*([\\w\".]+)");

    @Override
    public NormalizedStatement normalize(String sql) {
        String s = sql.strip().replaceAll("\\s+", " ");
        int next = 0;
        Matcher p = PLACEHOLDER.matcher(s);
        while (p.find()) {
            next = Math.max(next, Integer.parseInt(p.group(1)));
        }
        List<String> literals = new ArrayList<>();
        StringBuilder out = new StringBuilder();
        Matcher m = LITERAL.matcher(s);
        while (m.find()) {
            String lit = m.group();
            literals.add(lit.startsWith("'") ? lit.substring(1, lit.length() - 1).replace("''", "'") : lit);
            m.appendReplacement(out, Matcher.quoteReplacement("$" + (++next)));
        }
        m.appendTail(out);
        String text = out.toString();
        String fp = String.format(Locale.ROOT, "%016x", (long) text.toLowerCase(Locale.ROOT).hashCode() * 0x9E3779B97F4A7C15L);
        return new NormalizedStatement(fp, text, List.copyOf(literals));
    }

    @Override
    public QueryShape shape(NormalizedStatement st) {
        String t = st.text();
        String first = t.replaceFirst("^[\\s(]+", "").split("[\\s(]", 2)[0].toLowerCase(Locale.ROOT);
        StatementKind kind = switch (first) {
            case "select", "with" -> StatementKind.SELECT;
            case "insert" -> StatementKind.INSERT;
            case "update" -> StatementKind.UPDATE;
            case "delete" -> StatementKind.DELETE;
            case "begin", "commit", "rollback" -> StatementKind.TRANSACTION;
            default -> StatementKind.OTHER;
        };
        List<String> tables = new ArrayList<>();
        Matcher m = TABLE.matcher(t);
        while (m.find()) {
            tables.add(m.group(1).replace("\"", ""));
        }
        List<String> filters = new ArrayList<>();
        Matcher f = FILTER.matcher(t);
        while (f.find()) {
            filters.add((f.group(1) != null ? f.group(1) : f.group(2)).replace("\"", ""));
        }
        String lower = t.toLowerCase(Locale.ROOT);
        return new QueryShape(st.fingerprint(), kind, List.copyOf(tables), List.copyOf(filters), List.of(), List.of(),
                lower.contains(" join "), lower.contains("count("), lower.contains(" limit "), true);
    }
}
