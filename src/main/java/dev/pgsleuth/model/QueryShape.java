package dev.pgsleuth.model;

import java.util.List;

/**
 * What the SQL parser learned about one statement shape; computed once per fingerprint.
 * Column names are {@code table.column} when the table could be resolved, else bare.
 *
 * @param fingerprint    the shape's fingerprint
 * @param kind           statement kind
 * @param tables         tables read or written, schema-qualified as written, in order of appearance
 * @param filterColumns  columns compared in WHERE (equality and ranges)
 * @param joinColumns    columns in JOIN conditions
 * @param orderByColumns columns in ORDER BY
 * @param hasJoin        the statement joins two or more relations
 * @param hasAggregate   the statement aggregates (GROUP BY or an aggregate function)
 * @param hasLimit       the statement has LIMIT or FETCH FIRST
 * @param parsed         false when the SQL parser could not parse the statement (fields are then
 *                       best effort from the lexer)
 */
public record QueryShape(
        String fingerprint,
        StatementKind kind,
        List<String> tables,
        List<String> filterColumns,
        List<String> joinColumns,
        List<String> orderByColumns,
        boolean hasJoin,
        boolean hasAggregate,
        boolean hasLimit,
        boolean parsed) {
}
