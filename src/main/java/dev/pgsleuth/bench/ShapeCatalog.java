package dev.pgsleuth.bench;

/**
 * The statements of the synthetic workload, one per intended shape (a shape is a statement text
 * with its literals and parameters abstracted away, what pgsleuth groups by).
 *
 * <p>Shapes {@code 0..FIXED-1} are the pgbench TPC-B statements and pgjdbc's
 * {@code SET application_name}. Every further shape is computed from its index alone, so the
 * catalog holds no per-shape state and 100,000 shapes cost no memory: the index is read as a
 * mixed-radix number whose digits pick the table, the family (Hibernate 6 select, Hibernate 5
 * select, multi-line report, update, insert), the column count (10–30), the first column of a
 * cyclic run of columns, and the predicate column. Every digit changes identifiers in the text
 * (never only a literal), so distinct indexes are distinct shapes.
 */
final class ShapeCatalog {
    static final int BEGIN = 0;
    static final int UPDATE_ACCOUNTS = 1;
    static final int SELECT_ACCOUNTS = 2;
    static final int UPDATE_TELLERS = 3;
    static final int UPDATE_BRANCHES = 4;
    static final int INSERT_HISTORY = 5;
    static final int END = 6;
    static final int SET_APPLICATION_NAME = 7;
    static final int FIXED = 8;

    /** The statements of pgbench's built-in tpcb-like script as logged under {@code -M extended}. */
    static final String[] PGBENCH = {
        "BEGIN;",
        "UPDATE pgbench_accounts SET abalance = abalance + $1 WHERE aid = $2;",
        "SELECT abalance FROM pgbench_accounts WHERE aid = $1;",
        "UPDATE pgbench_tellers SET tbalance = tbalance + $1 WHERE tid = $2;",
        "UPDATE pgbench_branches SET bbalance = bbalance + $1 WHERE bid = $2;",
        "INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES ($1, $2, $3, $4, CURRENT_TIMESTAMP);",
        "END;",
    };
    static final String[] PGBENCH_TAGS = {"BEGIN", "UPDATE", "SELECT", "UPDATE", "UPDATE", "INSERT", "COMMIT"};

    enum Family { H6_SELECT, H5_SELECT, REPORT, UPDATE, INSERT }

    private static final Family[] FAMILIES = Family.values();

    static final String[] TABLES = {
        "customers", "orders", "order_items", "products", "invoices", "payments",
        "shipments", "addresses", "reviews", "carts", "cart_items", "suppliers",
    };

    /** Column value types, for bind parameters. */
    enum Type { INT, NUMERIC, TEXT, TIMESTAMP, BOOL, DATE }

    /** Column 0 is {@code id}; the others form the cyclic run the select lists are cut from. */
    static final String[] COLUMNS = {
        "id", "created_at", "updated_at", "status", "name", "email", "country", "city", "street", "zip",
        "phone", "price", "quantity", "total", "currency", "discount", "tax", "note", "version", "deleted",
        "owner_id", "customer_id", "order_id", "product_id", "supplier_id", "sku", "title", "description",
        "rating", "weight", "height", "width", "depth", "color", "size", "batch_no", "due_date", "paid_at",
        "shipped_at", "tracking_no",
    };
    static final Type[] TYPES = {
        Type.INT, Type.TIMESTAMP, Type.TIMESTAMP, Type.TEXT, Type.TEXT, Type.TEXT, Type.TEXT, Type.TEXT,
        Type.TEXT, Type.TEXT,
        Type.TEXT, Type.NUMERIC, Type.INT, Type.NUMERIC, Type.TEXT, Type.NUMERIC, Type.NUMERIC, Type.TEXT,
        Type.INT, Type.BOOL,
        Type.INT, Type.INT, Type.INT, Type.INT, Type.INT, Type.TEXT, Type.TEXT, Type.TEXT,
        Type.INT, Type.NUMERIC, Type.NUMERIC, Type.NUMERIC, Type.NUMERIC, Type.TEXT, Type.TEXT, Type.INT,
        Type.DATE, Type.TIMESTAMP,
        Type.TIMESTAMP, Type.TEXT,
    };

    static final int MIN_COLUMNS = 10;
    static final int COLUMN_COUNTS = 21;
    private static final int RUN = COLUMNS.length - 1;

    /** How many shapes the index digits can tell apart. */
    static final int CAPACITY = FIXED + TABLES.length * FAMILIES.length * COLUMN_COUNTS * RUN * COLUMNS.length;

    /** Direct-mapped: the hot shapes stay, the sweep over the cold ones passes through. */
    private static final int CACHE = 1024;

    private final int size;
    private final ByteSink.Escape escape;
    private final int[] cachedShape = new int[CACHE];
    private final String[] cachedText = new String[CACHE];
    private final byte[][] cachedBytes = new byte[CACHE][];

    ShapeCatalog(int size, ByteSink.Escape escape) {
        this.escape = escape;
        if (size < FIXED + 2 * TABLES.length * FAMILIES.length || size > CAPACITY) {
            throw new IllegalArgumentException("shapes must be between " + (FIXED + 2 * TABLES.length * FAMILIES.length)
                    + " and " + CAPACITY + ": " + size);
        }
        this.size = size;
        java.util.Arrays.fill(cachedShape, -1);
    }

    int size() {
        return size;
    }

    /** The family of a generated shape ({@code shape >= FIXED}). */
    static Family family(int shape) {
        return FAMILIES[(shape - FIXED) / TABLES.length % FAMILIES.length];
    }

    static int table(int shape) {
        return (shape - FIXED) % TABLES.length;
    }

    static int columnCount(int shape) {
        return MIN_COLUMNS + (shape - FIXED) / (TABLES.length * FAMILIES.length) % COLUMN_COUNTS;
    }

    /** The i-th column of the shape's run (never {@code id}). */
    static int column(int shape, int i) {
        int start = (shape - FIXED) / (TABLES.length * FAMILIES.length * COLUMN_COUNTS) % RUN;
        return 1 + (start + i) % RUN;
    }

    static int predicate(int shape) {
        return (shape - FIXED) / (TABLES.length * FAMILIES.length * COLUMN_COUNTS * RUN);
    }

    /** Number of bind parameters of an extended-protocol shape. */
    static int parameterCount(int shape) {
        if (shape < FIXED) {
            return switch (shape) {
                case BEGIN, END, SET_APPLICATION_NAME -> 0;
                case SELECT_ACCOUNTS -> 1;
                case INSERT_HISTORY -> 4;
                default -> 2;
            };
        }
        return switch (family(shape)) {
            case H6_SELECT, H5_SELECT -> 1;
            case UPDATE -> columnCount(shape) + 1;
            case INSERT -> columnCount(shape);
            case REPORT -> 0;
        };
    }

    /** The column whose type parameter {@code i} (0-based) takes. */
    static int parameterColumn(int shape, int i) {
        return switch (family(shape)) {
            case H6_SELECT, H5_SELECT -> predicate(shape);
            case UPDATE -> i < columnCount(shape) ? column(shape, i) : predicate(shape);
            default -> column(shape, i);
        };
    }

    static String tag(int shape) {
        if (shape < FIXED) {
            return shape == SET_APPLICATION_NAME ? "SET" : PGBENCH_TAGS[shape];
        }
        return switch (family(shape)) {
            case UPDATE -> "UPDATE";
            case INSERT -> "INSERT";
            default -> "SELECT";
        };
    }

    /**
     * The text of an extended-protocol shape, with {@code $n} parameters. For a report shape the
     * text up to its date literal; {@link #reportTail(int)} is the rest. For
     * {@code SET application_name} one of the names sessions set.
     */
    String text(int shape) {
        int slot = shape & (CACHE - 1);
        if (cachedShape[slot] != shape) {
            cachedText[slot] = shape == SET_APPLICATION_NAME ? "SET application_name = 'PostgreSQL JDBC Driver'"
                    : shape < FIXED ? PGBENCH[shape] : render(shape);
            cachedBytes[slot] = ByteSink.encode(cachedText[slot], escape);
            cachedShape[slot] = shape;
        }
        return cachedText[slot];
    }

    /** {@link #text(int)} encoded for the log format. */
    byte[] encoded(int shape) {
        text(shape);
        return cachedBytes[shape & (CACHE - 1)];
    }

    private static String render(int shape) {
        String table = TABLES[table(shape)];
        int n = columnCount(shape);
        String pred = COLUMNS[predicate(shape)];
        StringBuilder sb = new StringBuilder(40 + 30 * n);
        switch (family(shape)) {
            case H6_SELECT -> {
                String alias = table.charAt(0) + "1_0";
                sb.append("select ");
                for (int i = 0; i < n; i++) {
                    sb.append(alias).append('.').append(COLUMNS[column(shape, i)]).append(',');
                }
                sb.append(alias).append(".id from ").append(table).append(' ').append(alias)
                        .append(" where ").append(alias).append('.').append(pred).append("=$1");
            }
            case H5_SELECT -> {
                String alias = truncate(table, 10) + "0_";
                sb.append("select ");
                for (int i = 0; i < n; i++) {
                    String c = COLUMNS[column(shape, i)];
                    sb.append(alias).append('.').append(c).append(" as ").append(truncate(c, 10))
                            .append(i + 2).append('_').append(table(shape)).append("_0_, ");
                }
                sb.append(alias).append(".id as id1_").append(table(shape)).append("_0_ from ").append(table)
                        .append(' ').append(alias).append(" where ").append(alias).append('.').append(pred)
                        .append("=$1");
            }
            case UPDATE -> {
                sb.append("update ").append(table).append(" set ");
                for (int i = 0; i < n; i++) {
                    sb.append(COLUMNS[column(shape, i)]).append("=$").append(i + 1).append(i + 1 < n ? "," : "");
                }
                sb.append(" where ").append(pred).append("=$").append(n + 1);
            }
            case INSERT -> {
                sb.append("insert into ").append(table).append(" (");
                for (int i = 0; i < n; i++) {
                    sb.append(COLUMNS[column(shape, i)]).append(i + 1 < n ? "," : "");
                }
                sb.append(") values (");
                for (int i = 0; i < n; i++) {
                    sb.append('$').append(i + 1).append(i + 1 < n ? "," : "");
                }
                sb.append(") returning ").append(pred);
            }
            case REPORT -> {
                sb.append("SELECT r.").append(pred).append(",\n\tcount(*) AS n");
                for (int i = 0; i < n; i++) {
                    String c = COLUMNS[column(shape, i)];
                    sb.append(",\n\tmax(r.").append(c).append(") AS max_").append(c);
                }
                sb.append("\nFROM ").append(table).append(" r\nWHERE r.created_at >= ");
            }
        }
        return sb.toString();
    }

    /** The part of a report shape after its date literal. */
    static String reportTail(int shape) {
        String pred = COLUMNS[predicate(shape)];
        return "\n\tAND r." + pred + " IS NOT NULL\nGROUP BY r." + pred + "\nORDER BY n DESC\nLIMIT 100";
    }

    private static String truncate(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n);
    }
}
