package dev.pgsleuth.explain;

import dev.pgsleuth.explain.SqlScanner.Kind;
import dev.pgsleuth.explain.SqlScanner.Token;
import java.util.List;
import java.util.Set;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.Statements;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.WithItem;

/**
 * Decides whether a statement may be run under {@code EXPLAIN ANALYZE}, which executes it: only one
 * {@code SELECT} (or {@code WITH … SELECT} whose CTEs are all {@code SELECT}s), as the parsed
 * statement shows, and nothing in its text that locks rows, writes, sleeps, reaches outside the
 * database or runs SQL given as a string.
 *
 * <p>The parse decides the statement kind. The token checks then look at the whole text, nested
 * subqueries included, so that a function call or {@code FOR UPDATE} deep in the tree is found
 * whatever the parser made of it. The read-only transaction the {@link Explainer} opens is a
 * second, independent barrier, not a reason to be lenient here.
 */
public final class SafetyGuard {

    /**
     * The decision on one statement.
     *
     * @param allowed   true when the statement may be explained
     * @param reason    why it was refused (one sentence), or {@code null}
     * @param statement the text to run: the input without a trailing semicolon, or {@code null} when refused
     */
    public record Verdict(boolean allowed, String reason, String statement) {
        static Verdict refuse(String reason) {
            return new Verdict(false, reason, null);
        }
    }

    private static final Set<String> DENIED_FUNCTIONS = Set.of(
            "nextval", "setval", "set_config", "pg_terminate_backend", "pg_cancel_backend",
            "pg_reload_conf", "pg_rotate_logfile", "pg_notify", "pg_logical_emit_message",
            "pg_switch_wal", "pg_create_restore_point", "pg_promote", "pg_export_snapshot",
            "pg_log_backend_memory_contexts", "pg_ls_dir", "pg_stat_file", "pg_backup_start",
            "pg_backup_stop", "pg_start_backup", "pg_stop_backup", "pg_import_system_collations",
            "txid_current", "pg_current_xact_id", "xpath_table", "loread", "lowrite",
            "pg_wal_replay_pause", "pg_wal_replay_resume", "pg_walfile_name");

    /** Prefixes of function families that sleep, lock, do I/O, replicate, or execute SQL text. */
    private static final List<String> DENIED_PREFIXES = List.of(
            "pg_sleep", "dblink", "lo_", "pg_advisory", "pg_try_advisory", "pg_read_", "pg_file_",
            "pg_stat_reset", "pg_replication_origin", "pg_create_", "pg_drop_", "pg_copy_",
            "crosstab", "query_to_xml", "cursor_to_xml", "table_to_xml", "schema_to_xml",
            "database_to_xml", "pg_ls_");

    private static final Set<String> WRITE_KEYWORDS = Set.of(
            "insert", "update", "delete", "merge", "truncate");

    /** Checks one statement; never throws. */
    public Verdict check(String sql) {
        try {
            return decide(sql);
        } catch (RuntimeException e) {
            return Verdict.refuse("the statement could not be analysed, so it cannot be proven read-only");
        }
    }

    private Verdict decide(String sql) {
        if (sql == null || sql.isBlank()) {
            return Verdict.refuse("the statement is empty");
        }
        List<Token> tokens;
        try {
            tokens = SqlScanner.tokens(sql);
        } catch (IllegalArgumentException e) {
            return Verdict.refuse("the statement could not be parsed: " + e.getMessage());
        }
        int firstSemicolon = -1;
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.kind() == Kind.SYMBOL && t.text().equals(";")) {
                if (firstSemicolon < 0) {
                    firstSemicolon = t.start();
                }
            } else if (firstSemicolon >= 0) {
                return Verdict.refuse("the text holds more than one statement");
            }
        }
        String statement = firstSemicolon >= 0 ? sql.substring(0, firstSemicolon) : sql;
        statement = statement.strip();

        Statement parsed;
        try {
            Statements all = CCJSqlParserUtil.parseStatements(statement);
            if (all == null || all.size() != 1) {
                return Verdict.refuse("the text holds more than one statement");
            }
            parsed = all.get(0);
        } catch (JSQLParserException | RuntimeException e) {
            return Verdict.refuse("the statement could not be parsed, so it cannot be proven read-only");
        }
        if (!(parsed instanceof Select select)) {
            return Verdict.refuse("only SELECT statements are explained; this is " + kindOf(parsed));
        }
        if (select.getWithItemsList() != null) {
            for (WithItem<?> with : select.getWithItemsList()) {
                if (!(with.getParenthesedStatement() instanceof ParenthesedSelect)) {
                    return Verdict.refuse("the WITH clause `" + with.getAliasName() + "` modifies data");
                }
            }
        }
        if (select instanceof PlainSelect plain) {
            if (plain.getIntoTables() != null && !plain.getIntoTables().isEmpty()) {
                return Verdict.refuse("SELECT … INTO creates a table");
            }
        }
        if (select.getForMode() != null) {
            return Verdict.refuse("FOR " + select.getForMode().getValue() + " locks rows");
        }
        return checkTokens(tokens, statement);
    }

    private static Verdict checkTokens(List<Token> tokens, String statement) {
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.kind() != Kind.WORD && t.kind() != Kind.QUOTED_IDENT) {
                continue;
            }
            String word = t.text();
            Token next = i + 1 < tokens.size() ? tokens.get(i + 1) : null;
            Token prev = i > 0 ? tokens.get(i - 1) : null;
            boolean afterDot = prev != null && prev.kind() == Kind.SYMBOL && prev.text().equals(".");
            boolean called = next != null && next.kind() == Kind.SYMBOL && next.text().equals("(");
            if (called && denied(word)) {
                return Verdict.refuse("the function `" + word + "` has side effects");
            }
            if (t.kind() != Kind.WORD || afterDot) {
                continue;
            }
            if (word.equals("for") && next != null && next.kind() == Kind.WORD
                    && Set.of("update", "share", "no", "key").contains(next.text())) {
                return Verdict.refuse("FOR UPDATE / FOR SHARE locks rows");
            }
            if (word.equals("into")) {
                return Verdict.refuse("SELECT … INTO creates a table");
            }
            if (WRITE_KEYWORDS.contains(word) && (prev == null || !isPartOfName(prev))) {
                return Verdict.refuse("the statement contains `" + word.toUpperCase(java.util.Locale.ROOT)
                        + "`, which modifies data");
            }
        }
        return new Verdict(true, null, statement);
    }

    /** True when the previous token makes this word a column or type name rather than a command. */
    private static boolean isPartOfName(Token prev) {
        return prev.kind() == Kind.SYMBOL && (prev.text().equals(".") || prev.text().equals(":"));
    }

    static boolean denied(String function) {
        if (DENIED_FUNCTIONS.contains(function)) {
            return true;
        }
        for (String prefix : DENIED_PREFIXES) {
            if (function.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static String kindOf(Statement s) {
        String name = s.getClass().getSimpleName();
        return switch (name) {
            case "Insert" -> "an INSERT";
            case "Update" -> "an UPDATE";
            case "Delete" -> "a DELETE";
            case "Merge" -> "a MERGE";
            case "Upsert" -> "an UPSERT";
            case "Truncate" -> "a TRUNCATE";
            case "ExplainStatement" -> "an EXPLAIN (give the statement itself)";
            default -> name.startsWith("Create") || name.startsWith("Alter") || name.startsWith("Drop")
                    || name.equals("Comment") || name.equals("Grant") || name.equals("RenameTableStatement")
                    ? "DDL (" + name + ")" : "a statement of kind " + name;
        };
    }
}
