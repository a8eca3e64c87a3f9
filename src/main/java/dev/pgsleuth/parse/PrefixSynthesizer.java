package dev.pgsleuth.parse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Derives {@code log_line_prefix} templates from the lines themselves, for logs whose prefix is
 * none of the known ones. The text in front of each line's severity word is cut into tokens by
 * shape (timestamps, session ids, numbers, SQLSTATEs, virtual xids, words and separators); lines
 * of the same token shape give one template, whose free words are told apart by their context
 * ({@code user@db}, {@code key=value}, host shapes) and by the user, database, application and
 * host names the log's own connection messages mention. Only templates with a time escape are
 * given. The caller verifies every template (and its {@code %q} variants, from
 * {@link #qVariants}) by matching it against the lines.
 *
 * <p>Text is handled as ISO-8859-1, one char per byte, so offsets agree with the byte matcher.
 */
final class PrefixSynthesizer {
    /** Token shapes turned into templates; lines of rarer shapes are still counted when verifying. */
    static final int MAX_SHAPES = 6;

    private static final String SEPARATORS = " []()<>|,:@/=\"'{};";
    private static final char TIME_MS = 'm';
    private static final char TIME_S = 't';
    private static final char EPOCH = 'n';
    private static final char SESSION = 'c';
    private static final char VXID = 'v';
    private static final char NUMBER = '9';
    private static final char STATE = 'e';
    private static final char WORD = 'w';
    private static final char SEP = 's';
    /** Marks a word whose escape is decided after the whole line has been looked at. */
    private static final char FREE = '?';
    /** Marks a token that belongs to the value of the escape before it ({@code (port)} of {@code %r}). */
    private static final char PART = '_';

    /** Backend types ({@code %b}); several have spaces. */
    private static final Set<String> BACKEND_TYPES = Set.of("client backend", "autovacuum launcher",
            "autovacuum worker", "logical replication launcher", "logical replication worker",
            "logical replication apply worker", "logical replication parallel worker",
            "logical replication tablesync worker", "parallel worker", "background writer", "background worker",
            "checkpointer", "walwriter", "walsender", "walreceiver", "wal summarizer", "startup", "archiver",
            "postmaster", "io worker", "slotsync worker", "standalone backend", "not initialized");
    /** Values with spaces known before reading the log: backend types and the most common application name. */
    private static final List<String> SPACED_DEFAULTS = spacedDefaults();

    /** What {@code key=} in a prefix stands for. */
    private static final Map<String, Character> KEYS = new HashMap<>();

    static {
        String[][] table = {
            {"u", "user", "usr", "username", "role", "user_name"},
            {"d", "db", "database", "dbname", "datname", "database_name"},
            {"a", "app", "application", "application_name", "appname"},
            {"h", "client", "host", "remote", "ip", "rhost", "client_addr", "addr", "remote_host",
                "connection_source", "source"},
            {"p", "pid", "process", "process_id"},
            {"c", "session", "session_id", "sid", "sess"},
            {"l", "line", "log_line", "session_line", "line_num"},
            {"e", "sqlstate", "state", "sql_state", "error_code", "sql_error_code", "errcode", "code"},
            {"v", "vxid", "vtid", "virtual_xid"},
            {"x", "xid", "tid", "txid", "transaction", "transaction_id"},
            {"b", "backend", "backend_type", "btype", "type"},
            {"i", "command", "command_tag", "tag"},
        };
        for (String[] row : table) {
            for (int i = 1; i < row.length; i++) {
                KEYS.put(row[i], row[0].charAt(0));
            }
        }
    }

    private record Token(char kind, int start, int end) {
    }

    /** One line's prefix text and its tokens. */
    private record Line(String text, List<Token> tokens) {
        String value(int i) {
            Token t = tokens.get(i);
            return text.substring(t.start, t.end);
        }
    }

    /** Names the log's own messages mention, to tell which word of a prefix is which. */
    private static final class Known {
        final Set<String> users = new HashSet<>();
        final Set<String> databases = new HashSet<>();
        final Set<String> applications = new HashSet<>();
        final Set<String> hosts = new HashSet<>();
        final List<String> spaced = new ArrayList<>(SPACED_DEFAULTS);
        /** Some line shows a client address with its port: host columns are {@code %r}, not {@code %h}. */
        boolean ports;

        void learn(String message) {
            if (message.startsWith("connection authorized: ")) {
                add(users, value(message, " user="));
                add(databases, value(message, " database="));
                int a = message.indexOf(" application_name=");
                if (a >= 0) {
                    String app = message.substring(a + 18);
                    for (String tail : new String[] {" SSL enabled", " GSS ("}) {
                        int t = app.indexOf(tail);
                        app = t >= 0 ? app.substring(0, t) : app;
                    }
                    add(applications, app);
                }
            } else if (message.startsWith("connection received: ")) {
                add(hosts, value(message, " host="));
            } else if (message.startsWith("disconnection: ")) {
                add(users, value(message, " user="));
                add(databases, value(message, " database="));
                add(hosts, value(message, " host="));
            }
            int set = indexOfIgnoreCase(message, "set application_name");
            if (set >= 0) {
                int q = message.indexOf('\'', set);
                int e = q < 0 ? -1 : message.indexOf('\'', q + 1);
                if (e > q + 1) {
                    add(applications, message.substring(q + 1, e));
                }
            }
        }

        private void add(Set<String> set, String v) {
            if (v != null && !v.isEmpty() && set.size() < 1000) {
                set.add(v);
                if (v.indexOf(' ') > 0 && !spaced.contains(v) && spaced.size() < 50) {
                    spaced.add(v);
                }
            }
        }

        private static String value(String message, String key) {
            int k = message.indexOf(key);
            if (k < 0) {
                return null;
            }
            int s = k + key.length();
            int e = message.indexOf(' ', s);
            return message.substring(s, e < 0 ? message.length() : e);
        }

        private static int indexOfIgnoreCase(String s, String what) {
            int limit = s.length() - what.length();
            for (int i = 0; i <= limit; i++) {
                if (s.regionMatches(true, i, what, 0, what.length())) {
                    return i;
                }
            }
            return -1;
        }
    }

    private final TimestampParser timestamps = new TimestampParser();

    private PrefixSynthesizer() {
    }

    private static List<String> spacedDefaults() {
        List<String> out = new ArrayList<>(List.of("PostgreSQL JDBC Driver"));
        BACKEND_TYPES.stream().filter(t -> t.indexOf(' ') > 0)
                .sorted(java.util.Comparator.comparingInt(String::length).reversed()).forEach(out::add);
        return List.copyOf(out);
    }

    /**
     * Templates derived from these lines, the one from the most common line shape first; empty
     * when too few lines have a severity word to go by.
     */
    static List<String> templates(List<byte[]> lines) {
        return new PrefixSynthesizer().derive(lines);
    }

    /**
     * The template with {@code %q} placed at each point where a session-only part can start: in
     * front of each escape and after each space of the literal text, the rightmost first (lines of
     * background processes end there, so the rightmost position that reads them is PostgreSQL's).
     */
    static List<String> qVariants(String template) {
        List<Integer> at = new ArrayList<>();
        for (int i = 1; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c == '%' && template.charAt(i - 1) != '%') {
                at.add(i);
                i++;
            } else if (template.charAt(i - 1) == ' ' && c != ' ' && (i < 2 || template.charAt(i - 2) != '%')) {
                at.add(i);
            }
        }
        List<String> out = new ArrayList<>();
        for (int k = at.size() - 1; k >= 0; k--) {
            int i = at.get(k);
            String v = template.substring(0, i) + "%q" + template.substring(i);
            if (!out.contains(v)) {
                out.add(v);
            }
        }
        return out;
    }

    private List<String> derive(List<byte[]> lines) {
        Known known = new Known();
        List<int[]> cuts = new ArrayList<>();
        for (byte[] b : lines) {
            int from = Math.max(0, StderrLines.afterIsoStamp(b, 0, b.length));
            int sev = severityStart(b, from, b.length);
            if (sev >= 0) {
                cuts.add(new int[] {from, sev});
                int msg = sev;
                while (msg < b.length && b[msg] != ':') {
                    msg++;
                }
                msg = Math.min(b.length, msg + 3);
                known.learn(new String(b, msg, Math.min(b.length - msg, 2000), StandardCharsets.ISO_8859_1));
            } else {
                cuts.add(null);
            }
        }
        Map<String, List<Line>> shapes = new LinkedHashMap<>();
        int seen = 0;
        for (int k = 0; k < lines.size(); k++) {
            int[] cut = cuts.get(k);
            if (cut == null) {
                continue;
            }
            seen++;
            byte[] b = java.util.Arrays.copyOfRange(lines.get(k), cut[0], cut[1]);
            String text = new String(b, StandardCharsets.ISO_8859_1);
            Line line = new Line(text, tokenize(text, b, known.spaced));
            shapes.computeIfAbsent(shape(line), s -> new ArrayList<>()).add(line);
        }
        if (seen == 0 || seen * 10 < lines.size()) {
            return List.of();
        }
        boolean ports = false;
        for (List<Line> group : shapes.values()) {
            Line l = group.get(0);
            for (int i = 0; i + 3 < l.tokens.size() && !ports; i++) {
                ports = kindAt(l, i) == WORD && hostLike(l.value(i)) && sepAt(l, i + 1, '(')
                        && kindAt(l, i + 2) == NUMBER && sepAt(l, i + 3, ')');
            }
            for (int i = 0; i < l.tokens.size() && !ports; i++) {
                ports = keyOf(l, i) != null && keyOf(l, i) == 'h' && anyContains(group, i, '(');
            }
        }
        known.ports = ports;
        List<List<Line>> groups = new ArrayList<>(shapes.values());
        groups.sort((x, y) -> Integer.compare(y.size(), x.size()));
        Set<String> out = new LinkedHashSet<>();
        for (int g = 0; g < groups.size() && g < MAX_SHAPES; g++) {
            String template = build(groups.get(g), known);
            // without a time of its own a line is more likely another format's (syslog, Heroku) than stderr
            if (template.contains("%m") || template.contains("%t") || template.contains("%n")) {
                out.add(template);
            }
        }
        return new ArrayList<>(out);
    }

    /**
     * Where the severity word of a line starts: the first {@code WORD:} followed by two spaces at
     * a word boundary; -1 when there is none in the first 512 bytes.
     */
    static int severityStart(byte[] b, int from, int end) {
        int limit = Math.min(end, from + 512);
        for (int p = from; p < limit; p++) {
            byte c = b[p];
            if (c < 'A' || c > 'Z' || (p > from && alnum(b[p - 1]))) {
                continue;
            }
            int w = LogLinePrefix.wordAt(b, p, end);
            if (w < 0) {
                continue;
            }
            int colon = p;
            while (b[colon] != ':') {
                colon++;
            }
            if (colon + 2 < end && b[colon + 1] == ' ' && b[colon + 2] == ' ') {
                return p;
            }
        }
        return -1;
    }

    private List<Token> tokenize(String t, byte[] b, List<String> spaced) {
        List<Token> out = new ArrayList<>();
        int n = t.length();
        int p = 0;
        boolean value = false;
        boolean quoted = false;
        while (p < n) {
            char c = t.charAt(p);
            int q;
            char kind;
            if (value && c == '"' && !quoted) {
                out.add(new Token(SEP, p, p + 1));
                quoted = true;
                p++;
                continue;
            }
            if (value) {
                q = valueEnd(t, p, quoted, spaced);
                kind = valueKind(t, b, p, q);
                value = false;
                quoted = false;
            } else if ((q = spacedEnd(t, p, spaced)) > 0 || (q = bracketWordEnd(t, p)) > 0) {
                kind = WORD;
            } else if (boundaryBefore(t, p) && Character.isDigit(c) && p + 10 < n && t.charAt(p + 10) == ' '
                    && (q = timestamps.parse(b, p, n)) > 0) {
                kind = timestamps.fraction ? TIME_MS : TIME_S;
            } else if ((q = epochEnd(t, p)) > 0) {
                kind = EPOCH;
            } else if ((q = sessionEnd(t, p)) > 0) {
                kind = SESSION;
            } else if ((q = stateEnd(t, p)) > 0) {
                kind = STATE;
            } else if ((q = vxidEnd(t, p)) > 0) {
                kind = VXID;
            } else if ((q = numberEnd(t, p)) > 0) {
                kind = NUMBER;
            } else if (c == '-' || SEPARATORS.indexOf(c) >= 0) {
                q = p + 1;
                kind = SEP;
                value = c == '=' && !out.isEmpty() && out.get(out.size() - 1).kind == WORD;
            } else {
                q = p;
                while (q < n && SEPARATORS.indexOf(t.charAt(q)) < 0) {
                    q++;
                }
                kind = WORD;
            }
            out.add(new Token(kind, p, q));
            p = q;
            if (value && p == n) {
                out.add(new Token(WORD, p, p));
            }
        }
        return out;
    }

    private static String shape(Line line) {
        StringBuilder s = new StringBuilder();
        for (Token t : line.tokens) {
            if (t.kind == SEP) {
                s.append(line.text.charAt(t.start));
            } else {
                s.append('\u0000').append(t.kind);
            }
        }
        return s.toString();
    }

    /** The template of one group of lines with the same token shape. */
    private String build(List<Line> group, Known known) {
        Line ref = group.get(0);
        List<Token> toks = ref.tokens;
        int n = toks.size();
        char[] esc = new char[n];
        boolean pid = false;
        boolean line = false;
        for (int i = 0; i < n; i++) {
            Token t = toks.get(i);
            Character keyed = keyOf(ref, i);
            switch (t.kind) {
                case TIME_MS, TIME_S, EPOCH, SESSION, VXID, STATE -> esc[i] = t.kind;
                case WORD -> {
                    if (sepAt(ref, i + 1, '=')) {
                        esc[i] = 0;
                    } else if (keyed != null) {
                        esc[i] = keyed == 'h' && known.ports ? 'r' : keyed;
                    } else {
                        esc[i] = FREE;
                    }
                }
                case NUMBER -> {
                    if (keyed != null) {
                        esc[i] = keyed;
                    } else if (kindAt(ref, i - 2) == WORD && sepAt(ref, i - 1, '(') && sepAt(ref, i + 1, ')')) {
                        // the port of a %r address: resolveFree makes the address and it one field
                        esc[i] = 0;
                    } else if (sepAt(ref, i - 1, '[') && sepAt(ref, i + 1, '-') && kindAt(ref, i + 2) == NUMBER
                            && sepAt(ref, i + 3, ']')) {
                        // [%p-%l] when no pid came before, else pgBadger's [%l-1]
                        esc[i] = pid ? 'l' : 'p';
                        esc[i + 2] = pid ? 0 : 'l';
                        i += 2;
                    } else if (kindAt(ref, i - 1) == SESSION || (kindAt(ref, i - 1) == SEP
                            && kindAt(ref, i - 2) == SESSION)) {
                        esc[i] = 'l';
                    } else if (!pid) {
                        esc[i] = 'p';
                    } else if (!line && !anyEquals(group, i, "0")) {
                        esc[i] = 'l';
                    } else {
                        esc[i] = 'x';
                    }
                }
                default -> esc[i] = 0;
            }
            pid |= esc[i] == 'p' || (i >= 2 && esc[i - 2] == 'p');
            line |= esc[i] == 'l' || (i >= 2 && esc[i - 2] == 'l');
        }
        resolveFree(group, esc, known);
        StringBuilder template = new StringBuilder();
        Set<Character> used = new HashSet<>();
        for (int i = 0; i < n; i++) {
            if (esc[i] == PART) {
                continue;
            }
            if (esc[i] == 0) {
                template.append(ref.value(i).replace("%", "%%"));
            } else if (used.add(esc[i]) || esc[i] == 'x') {
                template.append('%').append(esc[i]);
            } else {
                // an escape read twice would give one field two values: the second is text of no meaning
                template.append("%i");
            }
        }
        return new String(template.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    /** Gives each free word an escape: {@code a@b}, host shapes, names the log mentions, then the usual order. */
    private static void resolveFree(List<Line> group, char[] esc, Known known) {
        Line ref = group.get(0);
        int n = esc.length;
        Set<Character> used = new HashSet<>();
        for (char c : esc) {
            used.add(c);
        }
        for (int i = 0; i < n; i++) {
            if (esc[i] != FREE) {
                continue;
            }
            if (sepAt(ref, i + 1, '(') && kindAt(ref, i + 2) == NUMBER && sepAt(ref, i + 3, ')')) {
                esc[i] = 'r';
                esc[i + 1] = PART;
                esc[i + 2] = PART;
                esc[i + 3] = PART;
            } else if (sepAt(ref, i + 1, '@') && i + 2 < n && esc[i + 2] == FREE && !used.contains('u')) {
                esc[i] = 'u';
                esc[i + 2] = 'd';
            } else if (count(group, i, PrefixSynthesizer::hostLike) * 2 > group.size()) {
                esc[i] = known.ports ? 'r' : 'h';
            } else if (count(group, i, BACKEND_TYPES::contains) * 2 > group.size()) {
                esc[i] = 'b';
            } else {
                continue;
            }
            used.add(esc[i]);
            used.add(esc[i + (esc[i] == 'u' ? 2 : 0)]);
        }
        for (int i = 0; i < n; i++) {
            if (esc[i] != FREE) {
                continue;
            }
            int u = count(group, i, known.users::contains);
            int d = count(group, i, known.databases::contains);
            int a = count(group, i, known.applications::contains);
            int h = count(group, i, known.hosts::contains);
            char best = 0;
            int[] scores = {u, d, a, h};
            char[] kinds = {'u', 'd', 'a', 'h'};
            int top = 0;
            boolean unique = false;
            for (int k = 0; k < scores.length; k++) {
                if (used.contains(kinds[k])) {
                    continue;
                }
                if (scores[k] > top) {
                    top = scores[k];
                    best = kinds[k];
                    unique = true;
                } else if (scores[k] == top) {
                    unique = false;
                }
            }
            if (best != 0 && unique) {
                esc[i] = best == 'h' && known.ports ? 'r' : best;
                used.add(best);
            }
        }
        for (int i = 0; i < n; i++) {
            if (esc[i] == FREE) {
                char pick = 'i';
                for (char c : new char[] {'u', 'd', 'a', 'h', 'b'}) {
                    if (!used.contains(c)) {
                        pick = c;
                        break;
                    }
                }
                esc[i] = pick;
                used.add(pick);
            }
        }
    }

    private static Character keyOf(Line line, int i) {
        int k = i - 2;
        if (sepAt(line, i - 1, '"')) {
            k--;
        }
        if (k < 0 || !sepAt(line, k + 1, '=') || kindAt(line, k) != WORD) {
            return null;
        }
        return KEYS.get(line.value(k).toLowerCase(java.util.Locale.ROOT));
    }

    private static boolean sepAt(Line line, int i, char c) {
        return i >= 0 && i < line.tokens.size() && line.tokens.get(i).kind == SEP && line.text.charAt(line.tokens.get(i).start) == c;
    }

    private static char kindAt(Line line, int i) {
        return i >= 0 && i < line.tokens.size() ? line.tokens.get(i).kind : 0;
    }

    private static int count(List<Line> group, int i, java.util.function.Predicate<String> test) {
        int c = 0;
        for (Line l : group) {
            if (test.test(l.value(i))) {
                c++;
            }
        }
        return c;
    }

    private static boolean anyContains(List<Line> group, int i, char c) {
        return count(group, i, v -> v.indexOf(c) >= 0) > 0;
    }

    private static boolean anyEquals(List<Line> group, int i, String s) {
        return count(group, i, s::equals) > 0;
    }

    /** An IPv4 or IPv6 address, or {@code [local]}: the shapes {@code %h} has. */
    static boolean hostLike(String v) {
        if (v.equals("[local]")) {
            return true;
        }
        int dots = 0;
        int colons = 0;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '.') {
                dots++;
            } else if (c == ':') {
                colons++;
            } else if (!Character.isDigit(c) && !(colons > 0 && Character.digit(c, 16) >= 0)) {
                return false;
            }
        }
        return dots == 3 || colons >= 2;
    }

    private static boolean alnum(byte c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
    }

    private static boolean alnum(char c) {
        return c < 128 && alnum((byte) c);
    }

    private static boolean boundaryBefore(String t, int p) {
        return p == 0 || !alnum(t.charAt(p - 1));
    }

    private static boolean boundaryAfter(String t, int q) {
        return q == t.length() || (!alnum(t.charAt(q)) && t.charAt(q) != '.');
    }

    private static int spacedEnd(String t, int p, List<String> spaced) {
        for (String s : spaced) {
            if (t.startsWith(s, p) && boundaryAfter(t, p + s.length())) {
                return p + s.length();
            }
        }
        return -1;
    }

    private static int bracketWordEnd(String t, int p) {
        for (String s : new String[] {"[unknown]", "[local]"}) {
            if (t.startsWith(s, p)) {
                return p + s.length();
            }
        }
        return -1;
    }

    private static int digits(String t, int p) {
        int q = p;
        while (q < t.length() && Character.isDigit(t.charAt(q)) && t.charAt(q) < 128) {
            q++;
        }
        return q;
    }

    /** {@code %c}: the start time and the pid in hex, {@code 6632f0a1.1f2e} (an epoch {@code %n} has more digits). */
    private static int sessionEnd(String t, int p) {
        if (!boundaryBefore(t, p)) {
            return -1;
        }
        int q = p;
        while (q < t.length() && hex(t.charAt(q))) {
            q++;
        }
        if (q - p < 6 || q - p > 8 || q >= t.length() || t.charAt(q) != '.') {
            return -1;
        }
        int r = q + 1;
        while (r < t.length() && hex(t.charAt(r))) {
            r++;
        }
        return r > q + 1 && r - q <= 9 && boundaryAfter(t, r) ? r : -1;
    }

    private static boolean hex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    }

    /** {@code %e}: five digits or capitals, {@code 00000} or with a capital (a pid is neither). */
    private static int stateEnd(String t, int p) {
        if (!boundaryBefore(t, p) || p + 5 > t.length() || !boundaryAfter(t, p + 5)) {
            return -1;
        }
        boolean digit = false;
        boolean capital = false;
        for (int i = p; i < p + 5; i++) {
            char c = t.charAt(i);
            digit |= c >= '0' && c <= '9';
            capital |= c >= 'A' && c <= 'Z';
            if (!(c >= '0' && c <= '9') && !(c >= 'A' && c <= 'Z')) {
                return -1;
            }
        }
        return digit && (capital || t.startsWith("00000", p)) ? p + 5 : -1;
    }

    /** {@code %n}: epoch seconds with milliseconds. */
    private static int epochEnd(String t, int p) {
        int q = digits(t, p);
        if (!boundaryBefore(t, p) || q - p < 9 || q - p > 12 || q >= t.length() || t.charAt(q) != '.') {
            return -1;
        }
        int r = digits(t, q + 1);
        return r > q + 1 && boundaryAfter(t, r) ? r : -1;
    }

    /** {@code %v}: backend number and local transaction, {@code 3/42}. */
    private static int vxidEnd(String t, int p) {
        int q = digits(t, p);
        if (!boundaryBefore(t, p) || q == p || q >= t.length() || t.charAt(q) != '/') {
            return -1;
        }
        int r = digits(t, q + 1);
        return r > q + 1 && boundaryAfter(t, r) ? r : -1;
    }

    private static int numberEnd(String t, int p) {
        int q = digits(t, p);
        return q > p && boundaryBefore(t, p) && boundaryAfter(t, q) ? q : -1;
    }

    private static int valueEnd(String t, int p, boolean quoted, List<String> spaced) {
        int q = spacedEnd(t, p, spaced);
        if (q < 0) {
            q = bracketWordEnd(t, p);
        }
        if (q > 0) {
            return q;
        }
        q = p;
        String stops = quoted ? "\"" : ", |\"';]";
        while (q < t.length() && stops.indexOf(t.charAt(q)) < 0) {
            q++;
        }
        return q;
    }

    private char valueKind(String t, byte[] b, int p, int q) {
        if (q > p && Character.isDigit(t.charAt(p))) {
            if (timestamps.parse(b, p, q) == q) {
                return timestamps.fraction ? TIME_MS : TIME_S;
            }
            String v = t.substring(0, q);
            if (sessionEnd(v, p) == q) {
                return SESSION;
            }
            if (stateEnd(v, p) == q) {
                return STATE;
            }
            if (vxidEnd(v, p) == q) {
                return VXID;
            }
            if (digits(t, p) == q) {
                return NUMBER;
            }
        }
        return WORD;
    }
}
