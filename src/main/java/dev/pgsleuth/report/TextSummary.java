package dev.pgsleuth.report;

import dev.pgsleuth.detect.LogEventsSummary;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The short human summary of a {@link Report} for a terminal, at most {@link #WIDTH} columns: N+1
 * findings first, then the other findings, the top shapes by total time and by count, the
 * slowest single statements, and the server events.
 */
public final class TextSummary {
    /** No line is longer than this. */
    public static final int WIDTH = 100;
    private static final String N_PLUS_ONE = "n-plus-one";

    private final int top;

    /** @param top how many rows each ranking shows, at least 1 */
    public TextSummary(int top) {
        if (top < 1) {
            throw new IllegalArgumentException("top must be at least 1: " + top);
        }
        this.top = top;
    }

    /** The summary, lines ending in {@code \n}. */
    public String render(Report r) {
        StringBuilder out = new StringBuilder();
        header(r, out);
        List<Report.FindingEntry> nPlusOne = new ArrayList<>();
        List<Report.FindingEntry> others = new ArrayList<>();
        for (Report.FindingEntry f : r.findings()) {
            (N_PLUS_ONE.equals(f.category()) ? nPlusOne : others).add(f);
        }
        findings("N+1 query patterns", nPlusOne, out);
        findings("Findings", others, out);
        rankings(r, out);
        events(r.events(), out);
        return out.toString();
    }

    private void header(Report r, StringBuilder out) {
        Report.Input in = r.input();
        line(out, "pgsleuth " + r.tool().version());
        line(out, String.format(Locale.ROOT, "%d entries, %d statements, %d shapes%s", in.entries(),
                in.statements(), r.queries().size(),
                in.firstTimestamp() == null ? "" : ", " + in.firstTimestamp() + " to " + in.lastTimestamp()));
        for (SourceSummary s : in.sources()) {
            line(out, "  " + s.path() + " (" + s.format() + ", " + s.lines() + " lines)");
        }
        if (in.unparsedLines() > 0) {
            line(out, in.unparsedLines() + " lines could not be read and were skipped; first:");
            for (String sample : in.unparsedSamples()) {
                line(out, "  " + sample);
            }
        }
        if (r.shapesCapped()) {
            line(out, String.format(Locale.ROOT,
                    "More than %d shapes: %d least recent folded into 'other' (%d executions, %s ms)",
                    r.other().shapeCap(), r.other().shapes(), r.other().count(), num(r.other().totalMs())));
        }
    }

    private void findings(String title, List<Report.FindingEntry> list, StringBuilder out) {
        if (list.isEmpty()) {
            return;
        }
        section(out, title + " (" + list.size() + ")");
        for (Report.FindingEntry f : list.subList(0, Math.min(top, list.size()))) {
            wrap(out, "[" + f.severity().toUpperCase(Locale.ROOT) + "] " + f.title(), "", "    ");
            if (f.message() != null) {
                wrap(out, f.message(), "    ", "    ");
            }
            if (f.suggestion() != null) {
                if (f.suggestion().text() != null) {
                    wrap(out, "Fix: " + f.suggestion().text(), "    ", "    ");
                }
                if (f.suggestion().sql() != null) {
                    for (String sqlLine : f.suggestion().sql().split("\n")) {
                        line(out, "      " + sqlLine);
                    }
                }
            }
        }
        more(out, list.size());
    }

    private void rankings(Report r, StringBuilder out) {
        List<Report.Query> timed = new ArrayList<>();
        for (Report.Query q : r.queries()) {
            if (q.maxMs() != null) {
                timed.add(q);
            }
        }
        if (!timed.isEmpty()) {
            section(out, "Top shapes by total time");
            line(out, String.format(Locale.ROOT, "%12s %9s %10s %10s  %s", "total ms", "count", "mean ms", "p95 ms", "query"));
            for (Report.Query q : timed.subList(0, Math.min(top, timed.size()))) {
                row(out, String.format(Locale.ROOT, "%12s %9d %10s %10s  ", num(q.totalMs()), q.count(),
                        num(q.meanMs()), num(q.p95Ms())), q.query());
            }
        }
        List<Report.Query> byCount = new ArrayList<>(r.queries());
        byCount.removeIf(q -> q.count() == 0);
        if (!byCount.isEmpty()) {
            byCount.sort(Comparator.comparingLong(Report.Query::count).reversed()
                    .thenComparing(Report.Query::fingerprint));
            section(out, "Top shapes by count");
            line(out, String.format(Locale.ROOT, "%9s %12s  %s", "count", "total ms", "query"));
            for (Report.Query q : byCount.subList(0, Math.min(top, byCount.size()))) {
                row(out, String.format(Locale.ROOT, "%9d %12s  ", q.count(), num(q.totalMs())), q.query());
            }
        }
        if (!timed.isEmpty()) {
            List<Report.Query> slowest = new ArrayList<>(timed);
            slowest.sort(Comparator.comparingDouble(Report.Query::maxMs).reversed()
                    .thenComparing(Report.Query::fingerprint));
            section(out, "Slowest single statements");
            line(out, String.format(Locale.ROOT, "%12s  %-29s  %s", "ms", "at", "statement"));
            for (Report.Query q : slowest.subList(0, Math.min(top, slowest.size()))) {
                Report.Example e = q.example();
                String at = e == null || e.timestamp() == null ? "" : e.timestamp().toString();
                row(out, String.format(Locale.ROOT, "%12s  %-29s  ", num(q.maxMs()), at),
                        e == null ? q.query() : e.statement());
            }
        }
    }

    private void events(LogEventsSummary ev, StringBuilder out) {
        List<String> lines = new ArrayList<>();
        long errorCount = ev.errors().stream().mapToLong(LogEventsSummary.ErrorGroup::count).sum();
        if (ev.lockWaits().waiting() + ev.lockWaits().acquired() > 0) {
            lines.add(String.format(Locale.ROOT, "Lock waits: %d still waiting, %d acquired after %s ms in all (max %s ms)",
                    ev.lockWaits().waiting(), ev.lockWaits().acquired(), num(ev.lockWaits().totalWaitMs()),
                    num(ev.lockWaits().maxWaitMs())));
        }
        if (ev.deadlocks().count() > 0) {
            lines.add("Deadlocks: " + ev.deadlocks().count());
        }
        if (ev.tempFiles().count() > 0) {
            lines.add(String.format(Locale.ROOT, "Temporary files: %d, %s in all, largest %s", ev.tempFiles().count(),
                    bytes(ev.tempFiles().bytes()), bytes(ev.tempFiles().maxBytes())));
        }
        LogEventsSummary.Checkpoints cp = ev.checkpoints();
        if (cp.started() + cp.completed() + cp.tooFrequent() > 0) {
            lines.add(String.format(Locale.ROOT, "Checkpoints: %d started, %d complete, %d too frequent; causes %s",
                    cp.started(), cp.completed(), cp.tooFrequent(), counts(cp.causes())));
        }
        if (ev.autovacuum().count() + ev.autoanalyze().count() > 0) {
            lines.add(String.format(Locale.ROOT, "Autovacuum: %d on %d tables; autoanalyze: %d on %d tables",
                    ev.autovacuum().count(), ev.autovacuum().tables().size(), ev.autoanalyze().count(),
                    ev.autoanalyze().tables().size()));
        }
        LogEventsSummary.Connections c = ev.connections();
        if (c.received() + c.authorized() + c.sessions().count() > 0) {
            lines.add(String.format(Locale.ROOT, "Connections: %d received, %d authorized; sessions: %d, mean %s ms, max %s ms",
                    c.received(), c.authorized(), c.sessions().count(), num(c.sessions().meanMs()),
                    num(c.sessions().maxMs())));
        }
        if (errorCount == 0 && lines.isEmpty()) {
            return;
        }
        section(out, "Events");
        if (errorCount > 0) {
            line(out, "Errors: " + errorCount);
            List<LogEventsSummary.ErrorGroup> errors = ev.errors();
            for (LogEventsSummary.ErrorGroup g : errors.subList(0, Math.min(top, errors.size()))) {
                row(out, String.format(Locale.ROOT, "%9d  %-5s %-5s  ", g.count(), g.severity().toUpperCase(Locale.ROOT),
                        g.sqlstate() == null ? "" : g.sqlstate()), g.message());
            }
        }
        for (String l : lines) {
            wrap(out, l, "", "    ");
        }
    }

    private void more(StringBuilder out, int size) {
        if (size > top) {
            line(out, "  … and " + (size - top) + " more in the JSON report");
        }
    }

    private static void section(StringBuilder out, String title) {
        out.append('\n');
        line(out, title);
        line(out, "-".repeat(Math.min(WIDTH, title.length())));
    }

    /** A table row: fixed columns, then text cut to what is left of the width. */
    private static void row(StringBuilder out, String columns, String text) {
        line(out, columns + oneLine(text));
    }

    /** Word-wrapped text, every line within the width. */
    private static void wrap(StringBuilder out, String text, String firstIndent, String indent) {
        String rest = oneLine(text);
        String prefix = firstIndent;
        while (prefix.length() + rest.length() > WIDTH) {
            int room = WIDTH - prefix.length();
            int cut = rest.lastIndexOf(' ', room);
            if (cut <= 0) {
                cut = room;
            }
            out.append(prefix).append(rest, 0, cut).append('\n');
            rest = rest.substring(cut).stripLeading();
            prefix = indent;
        }
        out.append(prefix).append(rest).append('\n');
    }

    /** One line, cut with {@code …} at the width. */
    private static void line(StringBuilder out, String s) {
        out.append(s.length() > WIDTH ? s.substring(0, WIDTH - 1) + "…" : s).append('\n');
    }

    private static String oneLine(String s) {
        StringBuilder b = new StringBuilder(s.length());
        boolean space = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                space = b.length() > 0;
            } else {
                if (space) {
                    b.append(' ');
                    space = false;
                }
                b.append(c);
            }
        }
        return b.toString();
    }

    private static String num(Double v) {
        if (v == null) {
            return "-";
        }
        return String.format(Locale.ROOT, v >= 100 ? "%.0f" : "%.2f", v);
    }

    private static String bytes(long b) {
        if (b >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GiB", b / (double) (1L << 30));
        }
        if (b >= 1L << 20) {
            return String.format(Locale.ROOT, "%.1f MiB", b / (double) (1L << 20));
        }
        if (b >= 1L << 10) {
            return String.format(Locale.ROOT, "%.1f KiB", b / 1024.0);
        }
        return b + " B";
    }

    private static String counts(Map<String, Long> m) {
        StringBuilder b = new StringBuilder();
        m.forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(k).append('=').append(v));
        return b.length() == 0 ? "-" : b.toString();
    }
}
