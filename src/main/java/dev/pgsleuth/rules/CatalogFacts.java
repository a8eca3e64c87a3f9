package dev.pgsleuth.rules;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the database catalog says about the relations of a plan: their indexes, foreign keys, row
 * estimates and column statistics. Read once per plan (read-only) by the component that talks to
 * the database, so that rules stay pure functions.
 *
 * @param indexes        indexes per table name
 * @param foreignKeys    foreign keys declared on the tables
 * @param rowEstimates   {@code reltuples} per table name
 * @param distinctValues estimated distinct values per {@code table.column} (from {@code pg_stats})
 */
public record CatalogFacts(Map<String, List<Index>> indexes, List<ForeignKey> foreignKeys,
                           Map<String, Double> rowEstimates, Map<String, Double> distinctValues) {

    public CatalogFacts {
        indexes = Map.copyOf(indexes);
        foreignKeys = List.copyOf(foreignKeys);
        rowEstimates = Map.copyOf(rowEstimates);
        distinctValues = Map.copyOf(distinctValues);
    }

    /**
     * An existing index.
     *
     * @param table      table name
     * @param name       index name
     * @param method     access method ({@code btree}, {@code gin}, …)
     * @param columns    key columns in order; an expression key is {@code null} in the list
     * @param partial    true when the index has a WHERE predicate
     * @param valid      false for an index still being built or left invalid by a failed build
     * @param definition {@code pg_get_indexdef} text
     */
    public record Index(String table, String name, String method, List<String> columns, boolean partial,
                        boolean valid, String definition) {
        public Index {
            columns = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(columns));
        }
    }

    /**
     * A foreign key.
     *
     * @param table             referencing table
     * @param name              constraint name
     * @param columns           referencing columns
     * @param referencedTable   referenced table
     * @param referencedColumns referenced columns
     */
    public record ForeignKey(String table, String name, List<String> columns, String referencedTable,
                             List<String> referencedColumns) {
        public ForeignKey {
            columns = List.copyOf(columns);
            referencedColumns = List.copyOf(referencedColumns);
        }
    }

    /** Facts for a plan whose database could not be asked. */
    public static CatalogFacts empty() {
        return new CatalogFacts(Map.of(), List.of(), Map.of(), Map.of());
    }

    /** Indexes of a table, empty when unknown. */
    public List<Index> indexesOn(String table) {
        return indexes.getOrDefault(table, List.of());
    }

    /**
     * True when a valid, non-partial btree index already starts with these columns, so an index on
     * them would add nothing. All columns are compared as equality columns: in any order among the
     * first {@code columns.size()} keys.
     */
    public boolean coveredByExistingIndex(String table, List<String> columns) {
        return coveredByExistingIndex(table, columns, columns.size());
    }

    /**
     * True when a valid, non-partial btree index already starts with these columns. The first
     * {@code equalityColumns} may appear in any order among the index's first keys (equality
     * conditions do not care); the remaining (range) columns must follow in the same positions.
     */
    public boolean coveredByExistingIndex(String table, List<String> columns, int equalityColumns) {
        int k = Math.min(equalityColumns, columns.size());
        Set<String> wanted = new HashSet<>(columns.subList(0, k));
        for (Index index : indexesOn(table)) {
            if (!index.valid() || index.partial() || !index.method().equals("btree")
                    || index.columns().size() < columns.size()) {
                continue;
            }
            if (new HashSet<>(index.columns().subList(0, k)).equals(wanted)
                    && index.columns().subList(k, columns.size()).equals(columns.subList(k, columns.size()))) {
                return true;
            }
        }
        return false;
    }

    /** True when some valid index of any method has this column as its first key. */
    public boolean hasIndexLeadingWith(String table, String column) {
        for (Index index : indexesOn(table)) {
            if (index.valid() && !index.columns().isEmpty() && column.equals(index.columns().get(0))) {
                return true;
            }
        }
        return false;
    }

    /** Estimated distinct values of a column, or -1 when unknown. */
    public double distinctValues(String table, String column) {
        return distinctValues.getOrDefault(table + "." + column, -1.0);
    }

    /** Estimated rows of a table, or -1 when unknown. */
    public double rowEstimate(String table) {
        return rowEstimates.getOrDefault(table, -1.0);
    }
}
