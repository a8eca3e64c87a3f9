package dev.pgsleuth.normalize;

import java.util.Arrays;

/**
 * Keyword hashes (the lexer's identifier hash of the lower-case word) and the few keyword sets
 * the normalizer needs. Sets are sorted {@code long[]} searched by binary search, so a lookup
 * allocates nothing. A 64-bit hash standing for a word could in theory collide with some other
 * identifier; that risk is accepted for speed.
 */
final class Keywords {

    static final long SELECT = k("select");
    static final long FROM = k("from");
    static final long WHERE = k("where");
    static final long GROUP = k("group");
    static final long ORDER = k("order");
    static final long BY = k("by");
    static final long HAVING = k("having");
    static final long WINDOW = k("window");
    static final long LIMIT = k("limit");
    static final long OFFSET = k("offset");
    static final long FETCH = k("fetch");
    static final long FOR = k("for");
    static final long UNION = k("union");
    static final long INTERSECT = k("intersect");
    static final long EXCEPT = k("except");
    static final long WITH = k("with");
    static final long VALUES = k("values");
    static final long TABLE = k("table");
    static final long INSERT = k("insert");
    static final long INTO = k("into");
    static final long UPDATE = k("update");
    static final long DELETE = k("delete");
    static final long SET = k("set");
    static final long USING = k("using");
    static final long RETURNING = k("returning");
    static final long ON = k("on");
    static final long CONFLICT = k("conflict");
    static final long DISTINCT = k("distinct");
    static final long ALL = k("all");
    static final long AS = k("as");
    static final long AND = k("and");
    static final long OR = k("or");
    static final long NOT = k("not");
    static final long IN = k("in");
    static final long ANY = k("any");
    static final long SOME = k("some");
    static final long ARRAY = k("array");
    static final long BETWEEN = k("between");
    static final long CAST = k("cast");
    static final long DEFAULT = k("default");
    static final long JOIN = k("join");
    static final long LATERAL = k("lateral");
    static final long ONLY = k("only");
    static final long DO = k("do");
    static final long SAVEPOINT = k("savepoint");
    static final long RELEASE = k("release");
    static final long ROLLBACK = k("rollback");
    static final long TO = k("to");
    static final long PREPARE = k("prepare");
    static final long TRANSACTION = k("transaction");
    static final long EXECUTE = k("execute");
    static final long DEALLOCATE = k("deallocate");
    static final long DECLARE = k("declare");
    static final long MOVE = k("move");
    static final long CLOSE = k("close");
    static final long LISTEN = k("listen");
    static final long UNLISTEN = k("unlisten");
    static final long NOTIFY = k("notify");
    static final long EXPLAIN = k("explain");
    static final long ASC = k("asc");
    static final long DESC = k("desc");
    static final long NULLS = k("nulls");

    /** Words that cannot be a bare column alias or a column/table name where it matters here. */
    private static final long[] RESERVED = set(
            "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "between",
            "both", "by", "case", "cast", "check", "collate", "column", "conflict", "constraint",
            "create", "cross", "current_catalog", "current_date", "current_role", "current_time",
            "current_timestamp", "current_user", "default", "deferrable", "desc", "distinct", "do",
            "else", "end", "escape", "except", "false", "fetch", "for", "foreign", "from", "full",
            "grant", "group", "having", "ilike", "in", "initially", "inner", "intersect", "into", "is",
            "isnull", "join", "lateral", "leading", "left", "like", "limit", "localtime",
            "localtimestamp", "natural", "not", "notnull", "null", "nulls", "offset", "on", "only",
            "or", "order", "outer", "overlaps", "placing", "primary", "references", "returning",
            "right", "select", "session_user", "set", "similar", "some", "symmetric", "system_user",
            "table", "tablesample", "then", "to", "trailing", "true", "union", "unique", "user",
            "using", "values", "variadic", "verbose", "when", "where", "window", "with");

    /** Reserved words that are values, so that an operator may follow them. */
    private static final long[] VALUE = set(
            "current_catalog", "current_date", "current_role", "current_time", "current_timestamp",
            "current_user", "end", "false", "localtime", "localtimestamp", "null", "session_user",
            "system_user", "true", "user");

    /**
     * Type names that may prefix a literal ({@code DATE '2020-01-01'}, {@code INTERVAL '1 day'}):
     * such a cast of a constant is dropped from the fingerprint, as pg_query drops it.
     */
    private static final long[] TYPE_PREFIX = set(
            "bigint", "bit", "bool", "boolean", "bpchar", "bytea", "char", "character", "cidr", "date",
            "daterange", "dec", "decimal", "float", "float4", "float8", "inet", "int", "int2", "int4",
            "int4range", "int8", "int8range", "integer", "interval", "json", "jsonb", "macaddr",
            "money", "name", "numeric", "numrange", "oid", "real", "regclass", "smallint", "text",
            "time", "timestamp", "timestamptz", "timetz", "tsquery", "tsrange", "tstzrange",
            "tsvector", "uuid", "varbit", "varchar", "xml");

    /** Type names whose parenthesized integers are type modifiers, kept in the text. */
    private static final long[] TYPMOD = set(
            "bit", "char", "character", "dec", "decimal", "float", "interval", "nchar", "numeric",
            "time", "timestamp", "timestamptz", "timetz", "varbit", "varchar", "varying");

    private Keywords() {
    }

    static boolean isReserved(long h) {
        return Arrays.binarySearch(RESERVED, h) >= 0;
    }

    static boolean isValueKeyword(long h) {
        return Arrays.binarySearch(VALUE, h) >= 0;
    }

    static boolean isTypePrefix(long h) {
        return Arrays.binarySearch(TYPE_PREFIX, h) >= 0;
    }

    static boolean hasTypmod(long h) {
        return Arrays.binarySearch(TYPMOD, h) >= 0;
    }

    static boolean canBeAlias(long h) {
        return !isReserved(h);
    }

    private static long k(String word) {
        return Lexer.keyword(word);
    }

    private static long[] set(String... words) {
        long[] a = new long[words.length];
        for (int i = 0; i < words.length; i++) {
            a[i] = k(words[i]);
        }
        Arrays.sort(a);
        return a;
    }
}
