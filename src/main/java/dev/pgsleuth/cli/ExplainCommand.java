package dev.pgsleuth.cli;

import dev.pgsleuth.explain.ConnectionSettings;
import dev.pgsleuth.explain.ExplainOptions;
import dev.pgsleuth.explain.ExplainResult;
import dev.pgsleuth.explain.Explainer;
import dev.pgsleuth.model.Finding;
import dev.pgsleuth.model.Plan;
import dev.pgsleuth.model.PlanNode;
import dev.pgsleuth.rules.RuleContext;
import dev.pgsleuth.rules.RuleEngine;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code pgsleuth explain --db … "SQL"}: runs one statement under EXPLAIN ANALYZE, safely, and
 * prints its plan tree with the rule findings on their nodes.
 */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = {
            "Runs EXPLAIN (ANALYZE, BUFFERS) on one SELECT and prints the plan with the rules' findings on its nodes.",
            "Only a single SELECT (or WITH … SELECT) without side-effect functions is run, inside BEGIN READ ONLY … "
                    + "ROLLBACK, with statement, lock and idle timeouts. $1, $2, … are bound from --param values; "
                    + "without values the plan is generic (estimates only)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the plan was printed",
            "1:the database rejected the statement or cancelled it at the timeout",
            "2:usage error (a missing or malformed option, a bad --db value)",
            "5:the database could not be reached",
            "6:the statement was refused by the safety guard (not read-only, several statements, side effects)"})
public final class ExplainCommand implements Callable<Integer> {

    @Option(names = "--db", required = true, paramLabel = "DB",
            description = "jdbc:postgresql://… URL, postgres://user:pass@host:port/db?sslmode=… URI, or `env` "
                    + "(PGHOST, PGPORT, PGUSER, PGDATABASE, PGPASSWORD, PGSSLMODE, ~/.pgpass).")
    String db;

    @Option(names = {"-p", "--param"}, paramLabel = "VALUE",
            description = "Value of the next $n placeholder, in order (repeat for $1, $2, …).")
    List<String> params = new ArrayList<>();

    @Option(names = "--statement-timeout", paramLabel = "DURATION", defaultValue = "30s",
            description = "Cancel the statement after this long (e.g. 500ms, 30s, 2m). Default: ${DEFAULT-VALUE}.")
    String statementTimeout;

    @Parameters(index = "0", paramLabel = "SQL", description = "The statement to explain.")
    String sql;

    @picocli.CommandLine.Mixin
    RulesOption rulesOption = new RulesOption();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ConnectionSettings settings;
        ExplainOptions options;
        try {
            settings = ConnectionSettings.parse(db);
            options = ExplainOptions.defaults().withStatementTimeout(duration(statementTimeout));
        } catch (IllegalArgumentException e) {
            err.println("pgsleuth explain: " + e.getMessage());
            err.flush();
            return 2;
        }
        ExplainResult result;
        try (Explainer explainer = new Explainer(settings, options, Clock.systemUTC())) {
            result = explainer.explain("explain-command", sql, params);
        }
        if (!result.ok()) {
            err.println("pgsleuth explain: " + result.reason());
            err.flush();
            return switch (result.status()) {
                case REFUSED -> ExitCodes.REFUSED;
                case UNAVAILABLE -> ExitCodes.DATABASE;
                default -> 1;
            };
        }
        List<Finding> findings = rulesOption.engine()
                .evaluate(new RuleContext("explain-command", sql, result.plan(), null, result.catalog()));
        print(out, result.plan(), findings);
        out.flush();
        return 0;
    }

    static void print(PrintWriter out, Plan plan, List<Finding> findings) {
        Map<Integer, List<Finding>> byNode = new HashMap<>();
        for (Finding f : findings) {
            Object node = f.evidence().get("node");
            int id = node instanceof Map<?, ?> m && m.get("id") instanceof Integer i ? i : 0;
            byNode.computeIfAbsent(id, k -> new ArrayList<>()).add(f);
        }
        if (plan.generic()) {
            out.println("Generic plan (no parameter values given): estimates only, the statement was not run.");
        } else {
            out.printf(Locale.ROOT, "Execution %.1f ms, planning %.1f ms%n", plan.executionMs(), plan.planningMs());
        }
        printNode(out, plan.root(), "", byNode);
        out.printf("%n%d finding%s%n", findings.size(), findings.size() == 1 ? "" : "s");
    }

    private static void printNode(PrintWriter out, PlanNode node, String indent, Map<Integer, List<Finding>> byNode) {
        StringBuilder line = new StringBuilder(indent).append("-> ").append(node.label());
        if (node.analyzed()) {
            line.append(String.format(Locale.ROOT, "  rows %s (est. %s) × %s loop%s  %.1f ms  %.0f%%",
                    count(node.actualRows()), count(node.planRows()), count(node.loops()), node.loops() == 1 ? "" : "s",
                    node.inclusiveMs(), node.timeShare() * 100));
        } else {
            line.append(String.format(Locale.ROOT, "  est. rows %s  cost %.1f", count(node.planRows()), node.totalCost()));
        }
        out.println(line);
        String detail = indent + "     ";
        detail(out, detail, "Index Cond", node.indexCond());
        detail(out, detail, "Recheck Cond", node.recheckCond());
        detail(out, detail, "Hash Cond", node.hashCond());
        detail(out, detail, "Join Filter", node.joinFilter());
        detail(out, detail, "Filter", node.filter());
        if (node.rowsRemovedByFilter() > 0) {
            out.println(detail + "Rows removed by filter: " + count(node.rowsRemovedByFilter() * Math.max(1, node.loops())));
        }
        if (node.sortMethod() != null) {
            out.println(detail + "Sort: " + node.sortMethod() + ", " + count(node.sortSpaceKb()) + " kB " + node.sortSpaceType());
        }
        if (node.hashBatches() > 1) {
            out.println(detail + "Hash batches: " + node.hashBatches());
        }
        if (node.sharedHitBlocks() + node.sharedReadBlocks() + node.tempReadBlocks() + node.tempWrittenBlocks() > 0) {
            out.println(detail + "Buffers: shared hit " + node.sharedHitBlocks() + " read " + node.sharedReadBlocks()
                    + (node.tempWrittenBlocks() > 0 ? ", temp read " + node.tempReadBlocks() + " written " + node.tempWrittenBlocks() : ""));
        }
        for (Finding f : byNode.getOrDefault(node.id(), List.of())) {
            out.println(detail + "[!] " + f.rule() + " (" + f.severity().reportName() + "): " + f.title());
            out.println(detail + "    " + f.message());
            out.println(detail + "    fix: " + f.suggestion().text());
            if (f.suggestion().sql() != null) {
                for (String sqlLine : f.suggestion().sql().split("\n")) {
                    out.println(detail + "    " + sqlLine);
                }
            }
        }
        for (PlanNode child : node.children()) {
            printNode(out, child, indent + "   ", byNode);
        }
    }

    private static void detail(PrintWriter out, String indent, String label, String value) {
        if (value != null) {
            out.println(indent + label + ": " + value);
        }
    }

    private static String count(double v) {
        return String.format(Locale.ROOT, "%,d", Math.round(v));
    }

    /** {@code 500ms}, {@code 30s}, {@code 2m}, or a bare number of seconds. */
    static Duration duration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).trim()));
            }
            if (t.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1).trim()));
            }
            if (t.endsWith("m") || t.endsWith("min")) {
                return Duration.ofMinutes(Long.parseLong(t.replace("min", "").replace("m", "").trim()));
            }
            return Duration.ofSeconds(Long.parseLong(t));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("`" + text + "` is not a duration (use e.g. 500ms, 30s, 2m)");
        }
    }
}
