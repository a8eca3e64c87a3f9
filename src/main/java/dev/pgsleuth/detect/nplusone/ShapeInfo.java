package dev.pgsleuth.detect.nplusone;

import dev.pgsleuth.aggregate.RecencyMap;
import dev.pgsleuth.model.NormalizedStatement;
import dev.pgsleuth.model.QueryShape;
import dev.pgsleuth.model.StatementKind;
import dev.pgsleuth.normalize.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/** What the detector needs to know about one fingerprint; computed once and cached. */
final class ShapeInfo extends RecencyMap.Used {
    final String fingerprint;
    /**
     * Normalized text. The normalizer gives {@code = $1}, {@code IN (…)} and {@code = ANY($1)}
     * one fingerprint, so the text first seen may be a batch load's; {@link #perRow} replaces it
     * with the per-row form once one runs, since that is the form the fix rewrites.
     */
    String text;
    private boolean perRowText;
    /** Only SELECTs make loops or duplicates; everything else just passes by. */
    final boolean select;
    private final NormalizedStatement statement;
    private QueryShape shape;
    private QueryShape outline;
    private boolean prefetched;

    private ShapeInfo(NormalizedStatement statement, boolean select) {
        this.statement = statement;
        this.fingerprint = statement.fingerprint();
        this.text = statement.text();
        this.select = select;
    }

    /** Takes the text of an execution that was no batch load, once. */
    void perRow(NormalizedStatement statement) {
        if (!perRowText) {
            perRowText = true;
            text = statement.text() == null ? "" : statement.text();
        }
    }

    static ShapeInfo of(NormalizedStatement statement, Normalizer normalizer) {
        String text = statement.text() == null ? "" : statement.text();
        String first = SqlText.firstKeyword(text);
        boolean select = switch (first) {
            case "select", "values", "table" -> true;
            // a WITH may end in INSERT / UPDATE / DELETE: let the parser say
            case "with" -> kindOf(statement, normalizer) == StatementKind.SELECT;
            default -> false;
        };
        return new ShapeInfo(statement, select);
    }

    private static StatementKind kindOf(NormalizedStatement statement, Normalizer normalizer) {
        try {
            QueryShape s = normalizer.shape(statement);
            return s == null ? StatementKind.OTHER : s.kind();
        } catch (RuntimeException e) {
            return StatementKind.OTHER;
        }
    }

    /**
     * Has {@code background} (when not null) work out this shape's outline into the normalizer's
     * cache, once, so that {@link #outline} finds it there (the SQL parser, where the lexer cannot
     * tell, costs a millisecond); the normalizer must be thread-safe.
     */
    void prefetch(Normalizer normalizer, Executor background) {
        if (background != null && !prefetched) {
            prefetched = true;
            background.execute(() -> {
                try {
                    normalizer.outline(statement);
                } catch (RuntimeException e) {
                    // outline() will say so again, on the detector's thread
                }
            });
        }
    }

    /**
     * Kind, tables and flags, from the lexer where it can tell them (see {@link Normalizer#outline}),
     * or {@code null} when the normalizer could not give them.
     */
    private QueryShape outline(Normalizer normalizer) {
        if (outline == null) {
            outline = orNull(() -> normalizer.outline(statement));
        }
        return outline;
    }

    /** The parser's view, columns included, or {@code null} when the normalizer could not give one. */
    QueryShape shape(Normalizer normalizer) {
        if (shape == null) {
            shape = orNull(() -> normalizer.shape(statement));
        }
        return shape;
    }

    private static QueryShape orNull(Supplier<QueryShape> view) {
        try {
            return view.get();
        } catch (RuntimeException e) {
            return null;
        }
    }

    List<String> tables(Normalizer normalizer) {
        QueryShape s = outline(normalizer);
        return s == null || s.tables() == null ? List.of() : s.tables();
    }

    boolean hasAggregate(Normalizer normalizer) {
        QueryShape s = outline(normalizer);
        if (s != null) {
            return s.hasAggregate();
        }
        String lower = text.toLowerCase(Locale.ROOT);
        return lower.contains("count(") || lower.contains("sum(");
    }

    boolean hasJoin(Normalizer normalizer) {
        QueryShape s = outline(normalizer);
        return s != null ? s.hasJoin() : SqlText.findWord(text, "join", 0) >= 0;
    }
}
