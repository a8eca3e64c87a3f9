package dev.pgsleuth.parse;

import dev.pgsleuth.model.LogEntry;
import dev.pgsleuth.model.Severity;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A compiled {@code log_line_prefix}: reads the prefix fields, the severity word and the start of
 * the message from a line's bytes, without a regular expression.
 *
 * <p>Fields whose text is free ({@code %u %d %a %h %r %c %e %i %b %v}) end where the literal text
 * following them in the prefix starts, or at a space when no literal follows; timestamps, pids and
 * line numbers are read by their shape. Everything after {@code %q} is optional, since
 * PostgreSQL omits it for processes without a session. Padding ({@code %-10u}, {@code %10p}) is
 * accepted and the padding spaces are not part of the value.
 */
public final class LogLinePrefix {
    /** Kinds of line after the prefix: a message with a severity, or one of its siblings. */
    static final int PRIMARY = 0;
    static final int DETAIL = 1;
    static final int HINT = 2;
    static final int CONTEXT = 3;
    static final int QUERY = 4;
    static final int STATEMENT = 5;
    static final int IGNORED = 6;

    private static final byte[][] WORDS;
    private static final int[] WORD_KINDS;
    private static final Severity[] WORD_SEVERITIES;

    static {
        Object[][] table = {
            {"LOG", PRIMARY, Severity.LOG}, {"ERROR", PRIMARY, Severity.ERROR},
            {"STATEMENT", STATEMENT, null}, {"DETAIL", DETAIL, null}, {"HINT", HINT, null},
            {"CONTEXT", CONTEXT, null}, {"QUERY", QUERY, null}, {"WARNING", PRIMARY, Severity.WARNING},
            {"FATAL", PRIMARY, Severity.FATAL}, {"PANIC", PRIMARY, Severity.PANIC},
            {"NOTICE", PRIMARY, Severity.NOTICE}, {"INFO", PRIMARY, Severity.INFO},
            {"DEBUG", PRIMARY, Severity.DEBUG}, {"DEBUG1", PRIMARY, Severity.DEBUG},
            {"DEBUG2", PRIMARY, Severity.DEBUG}, {"DEBUG3", PRIMARY, Severity.DEBUG},
            {"DEBUG4", PRIMARY, Severity.DEBUG}, {"DEBUG5", PRIMARY, Severity.DEBUG},
            {"LOCATION", IGNORED, null}, {"BACKTRACE", IGNORED, null},
        };
        WORDS = new byte[table.length][];
        WORD_KINDS = new int[table.length];
        WORD_SEVERITIES = new Severity[table.length];
        for (int i = 0; i < table.length; i++) {
            WORDS[i] = ((String) table[i][0]).getBytes(StandardCharsets.US_ASCII);
            WORD_KINDS[i] = (Integer) table[i][1];
            WORD_SEVERITIES[i] = (Severity) table[i][2];
        }
    }

    private final String text;
    private final char[] escapes;
    private final byte[][] literals;
    private final int[] paddings;
    private final int qIndex;
    private final boolean hasSessionId;
    private final boolean hasPid;
    private final boolean hasTimestamp;

    private final TimestampParser timestamps = new TimestampParser();
    private final TimestampParser sessionStarts = new TimestampParser();
    private final FieldCache users = new FieldCache();
    private final FieldCache databases = new FieldCache();
    private final FieldCache applications = new FieldCache();
    private final FieldCache clients = new FieldCache();
    private final FieldCache sessions = new FieldCache();
    private final FieldCache states = new FieldCache();
    private final Match snapshot = new Match();
    /** The segment starting at each element, or null; see {@link Segment}. */
    private final Segment[] segments;

    private LogLinePrefix(String text, List<Character> escapes, List<byte[]> literals, List<Integer> paddings,
            int qIndex) {
        this.text = text;
        int n = escapes.size();
        this.escapes = new char[n];
        this.literals = new byte[n][];
        this.paddings = new int[n];
        boolean session = false;
        boolean pid = false;
        boolean time = false;
        for (int i = 0; i < n; i++) {
            this.escapes[i] = escapes.get(i);
            this.literals[i] = literals.get(i);
            this.paddings[i] = paddings.get(i);
            session |= this.escapes[i] == 'c';
            pid |= this.escapes[i] == 'p';
            time |= this.escapes[i] == 't' || this.escapes[i] == 'm' || this.escapes[i] == 'n';
        }
        this.qIndex = qIndex;
        this.hasSessionId = session;
        this.hasPid = pid;
        this.hasTimestamp = time;
        this.segments = new Segment[n];
        int hosts = 0;
        for (char e : this.escapes) {
            hosts += e == 'h' || e == 'r' ? 1 : 0;
        }
        for (int i = 0; i < n; i++) {
            int j = i;
            int limit = qIndex > i ? qIndex : n; // %q ends a segment: the line may stop there
            boolean fields = false;
            while (j < limit && sessionConstant(this.escapes[j], hosts)) {
                fields |= this.escapes[j] != 0;
                j++;
            }
            if (fields) {
                segments[i] = new Segment(i, j);
                i = j - 1;
            }
        }
    }

    /**
     * Whether an element's text stays the same on every line of a session: literals, pid, user,
     * database, application, host, session id, backend type, session start, group leader. A lone
     * {@code %h} sets the client only when no {@code %r} did, which depends on the rest of the
     * line, so with two host fields neither is.
     */
    private static boolean sessionConstant(char escape, int hosts) {
        return escape == 0 || "pudacbsP".indexOf(escape) >= 0 || (escape == 'h' || escape == 'r') && hosts == 1;
    }

    /**
     * The same prefix with {@code %q} before its session-only part, or {@code null} when it has
     * {@code %q} already or no session-only escape. Lines of background processes (checkpointer,
     * autovacuum) stop at {@code %q}; when the prefix was inferred from the first lines of a log
     * in which only client sessions wrote, it lacks the {@code %q}, and this variant still reads
     * the background lines. A session line that matches the prefix matches this variant too.
     */
    static String withSessionStop(String prefix) {
        if (prefix.contains("%q")) {
            return null;
        }
        int literalStart = 0;
        for (int i = 0; i < prefix.length(); i++) {
            if (prefix.charAt(i) != '%' || i + 1 >= prefix.length()) {
                continue;
            }
            int k = i + 1;
            while (k < prefix.length() && (prefix.charAt(k) == '-' || Character.isDigit(prefix.charAt(k)))) {
                k++;
            }
            if (k >= prefix.length()) {
                break;
            }
            char escape = prefix.charAt(k);
            if (escape == '%') {
                i = k;
                continue;
            }
            if ("audrhiL".indexOf(escape) >= 0) {
                int space = prefix.lastIndexOf(' ', i - 1);
                int at = space >= literalStart ? space + 1 : literalStart;
                return prefix.substring(0, at) + "%q" + prefix.substring(at);
            }
            i = k;
            literalStart = k + 1;
        }
        return null;
    }

    /**
     * Compiles a prefix as written in {@code postgresql.conf} (without the quotes). Unknown
     * escapes are ignored and a trailing lone {@code %} or padding ends the prefix, as in
     * PostgreSQL.
     */
    public static LogLinePrefix compile(String prefix) {
        List<Character> escapes = new ArrayList<>();
        List<byte[]> literals = new ArrayList<>();
        List<Integer> paddings = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int qIndex = -1;
        int i = 0;
        int n = prefix.length();
        while (i < n) {
            char c = prefix.charAt(i);
            if (c != '%') {
                literal.append(c);
                i++;
                continue;
            }
            int j = i + 1;
            if (j >= n) {
                break;
            }
            if (prefix.charAt(j) == '%') {
                literal.append('%');
                i = j + 1;
                continue;
            }
            int sign = 1;
            if (prefix.charAt(j) == '-') {
                sign = -1;
                j++;
            }
            int width = 0;
            while (j < n && Character.isDigit(prefix.charAt(j))) {
                width = width * 10 + (prefix.charAt(j) - '0');
                j++;
            }
            if (j >= n) {
                break;
            }
            char escape = prefix.charAt(j);
            i = j + 1;
            if ("audrhbpPtmnielcsvxQ".indexOf(escape) < 0 && escape != 'q') {
                continue;
            }
            if (literal.length() > 0) {
                escapes.add((char) 0);
                literals.add(literal.toString().getBytes(StandardCharsets.UTF_8));
                paddings.add(0);
                literal.setLength(0);
            }
            if (escape == 'q') {
                if (qIndex < 0) {
                    qIndex = escapes.size();
                }
                continue;
            }
            escapes.add(escape);
            literals.add(null);
            paddings.add(sign * width);
        }
        if (literal.length() > 0) {
            escapes.add((char) 0);
            literals.add(literal.toString().getBytes(StandardCharsets.UTF_8));
            paddings.add(0);
        }
        if (qIndex == escapes.size()) {
            qIndex = -1;
        }
        return new LogLinePrefix(prefix, escapes, literals, paddings, qIndex);
    }

    /** The prefix as given to {@link #compile}. */
    public String text() {
        return text;
    }

    /** True when the prefix has {@code %c}: entries are then grouped by session id, not pid. */
    public boolean hasSessionId() {
        return hasSessionId;
    }

    /** True when the prefix has {@code %p}. */
    public boolean hasPid() {
        return hasPid;
    }

    /** True when the prefix has {@code %t}, {@code %m} or {@code %n}. */
    public boolean hasTimestamp() {
        return hasTimestamp;
    }

    /**
     * Reads one line: its prefix fields, severity (or sibling kind), SQLSTATE and message, or
     * {@code null} when the line does not start with this prefix and a severity word. Meant for
     * tools and tests; the readers use the byte-level matcher.
     */
    public LogEntry.Builder parse(String line) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        Match m = new Match();
        if (!match(b, 0, b.length, m)) {
            return null;
        }
        LogEntry.Builder e = LogEntry.builder();
        m.applyTo(e);
        String rest = new String(b, m.messageStart, b.length - m.messageStart, StandardCharsets.UTF_8);
        switch (m.kind) {
            case PRIMARY -> e.message(rest);
            case DETAIL -> e.detail(rest);
            case HINT -> e.hint(rest);
            case CONTEXT -> e.context(rest);
            case QUERY -> e.internalQuery(rest);
            case STATEMENT -> e.statement(rest);
            default -> { }
        }
        return e;
    }

    /** Matches {@code b[start, end)}; on success {@code m} holds the fields and where the message starts. */
    boolean match(byte[] b, int start, int end, Match m) {
        m.reset();
        int head = qIndex < 0 ? escapes.length : qIndex;
        int p = matchRange(b, start, end, 0, head, m);
        if (p < 0) {
            return false;
        }
        if (qIndex >= 0) {
            snapshot.copyFrom(m);
            int tail = matchRange(b, p, end, qIndex, escapes.length, m);
            if (tail >= 0 && severity(b, tail, end, m)) {
                return true;
            }
            m.copyFrom(snapshot);
        }
        return severity(b, p, end, m);
    }

    private int matchRange(byte[] b, int p, int end, int from, int to, Match m) {
        for (int i = from; i < to; i++) {
            Segment segment = segments[i];
            if (segment != null) {
                p = segment.match(b, p, end, m);
                i = segment.to - 1;
            } else {
                p = matchElement(b, p, end, i, m);
            }
            if (p < 0) {
                return -1;
            }
        }
        return p;
    }

    /** Matches element {@code i} of the prefix at {@code p}; returns where it ends, or -1. */
    private int matchElement(byte[] b, int p, int end, int i, Match m) {
        char escape = escapes[i];
        if (escape == 0) {
            byte[] lit = literals[i];
            return regionMatches(b, p, end, lit) ? p + lit.length : -1;
        }
        int pad = paddings[i];
        if (pad > 0) {
            while (p < end && b[p] == ' ') {
                p++;
            }
        }
        int fieldStart = p;
        switch (escape) {
            case 't', 'm', 's' -> {
                TimestampParser parser = escape == 's' ? sessionStarts : timestamps;
                p = parser.parse(b, p, end);
                if (p < 0) {
                    return -1;
                }
                if (escape != 's') {
                    m.timestamp = parser.value;
                    m.timestampFormMismatch |= parser.fraction != (escape == 'm');
                }
            }
            case 'n' -> {
                p = timestamps.parseEpoch(b, p, end);
                if (p < 0) {
                    return -1;
                }
                m.timestamp = timestamps.value;
            }
            case 'p', 'l' -> {
                long v = 0;
                int q = p;
                while (q < end && TimestampParser.digit(b[q]) && q - p < 18) {
                    v = v * 10 + (b[q] - '0');
                    q++;
                }
                if (q == p) {
                    return -1;
                }
                p = q;
                if (escape == 'p') {
                    m.pid = (int) v;
                    if (!hasSessionId) {
                        m.key = v;
                        m.hasKey = true;
                    }
                } else {
                    m.sessionLine = v;
                }
            }
            case 'P', 'x', 'Q' -> {
                if (escape == 'Q' && p < end && b[p] == '-') {
                    p++;
                }
                while (p < end && TimestampParser.digit(b[p])) {
                    p++;
                }
            }
            default -> {
                int valueEnd = freeFieldEnd(b, p, end, i, pad, m);
                if (valueEnd < 0) {
                    return -1;
                }
                int trimmed = valueEnd;
                if (pad < 0) {
                    while (trimmed > p && b[trimmed - 1] == ' ') {
                        trimmed--;
                    }
                }
                assign(escape, b, p, trimmed, m);
                p = valueEnd;
            }
        }
        if (pad < 0) {
            while (p < end && b[p] == ' ' && p - fieldStart < -pad) {
                p++;
            }
        }
        return p;
    }

    /**
     * Where a free-text field starting at {@code p} ends: at the next literal of the prefix, else at a
     * space. Values may hold the literal themselves (application names with spaces, such as
     * {@code PostgreSQL JDBC Driver}): when what follows the first occurrence cannot start the next
     * field, later occurrences are tried, and the match is marked {@link Match#stretched}; where the
     * prefix ends, only for the fields that have spaces in practice, up to the severity word.
     */
    private int freeFieldEnd(byte[] b, int p, int end, int i, int pad, Match m) {
        byte[] next = i + 1 < escapes.length && escapes[i + 1] == 0 ? literals[i + 1] : null;
        if (next == null) {
            int q = p;
            while (q < end && b[q] != ' ') {
                q++;
            }
            if (i + 1 == escapes.length && pad == 0 && SPACED.indexOf(escapes[i]) >= 0 && wordAt(b, q, end) < 0) {
                int k = q;
                while (k < end && wordAt(b, k, end) < 0) {
                    k++;
                    while (k < end && b[k] != ' ') {
                        k++;
                    }
                }
                if (k < end) {
                    m.stretched = true;
                    return k;
                }
            }
            return q;
        }
        int from = pad < 0 ? Math.min(end, p + -pad) : p;
        if (pad < 0) {
            for (int k = p; k < from; k++) {
                if (regionMatches(b, k, end, next) && allSpaces(b, k, from)) {
                    from = k;
                    break;
                }
            }
        }
        int first = indexOf(b, from, end, next);
        if (first < 0 || pad != 0 || (follows(b, first + next.length, end, i + 2) && !partOfBackendType(b, p, first, i))
                || (i + 2 >= escapes.length && SPACED.indexOf(escapes[i]) < 0)) {
            return first;
        }
        for (int k = indexOf(b, first + 1, end, next); k >= 0; k = indexOf(b, k + 1, end, next)) {
            if (follows(b, k + next.length, end, i + 2)) {
                // a name with spaces ending where a session id, SQLSTATE or time starts is as expected
                int j = i + 2;
                m.stretched |= SPACED.indexOf(escapes[i]) < 0 || j >= escapes.length || "cemts".indexOf(escapes[j]) < 0
                        || !startsLike(escapes[j], b, k + next.length, end);
                return k;
            }
        }
        m.fellBack = true;
        return first;
    }

    /**
     * True when {@code %b} would end after the first word of a backend type that has more
     * ({@code client backend}, {@code autovacuum worker}, {@code not initialized}), which the next
     * field cannot tell by shape.
     */
    private boolean partOfBackendType(byte[] b, int s, int e, int i) {
        if (escapes[i] != 'b') {
            return false;
        }
        for (byte[] w : BACKEND_FIRST_WORDS) {
            if (w.length == e - s && regionMatches(b, s, e, w)) {
                return true;
            }
        }
        return false;
    }

    private static final byte[][] BACKEND_FIRST_WORDS = java.util.stream.Stream.of("client", "autovacuum", "logical",
            "parallel", "background", "wal", "io", "slotsync", "standalone", "not")
            .map(w -> w.getBytes(StandardCharsets.US_ASCII)).toArray(byte[][]::new);

    /** Free fields whose values have spaces in practice: application name, backend type, command tag. */
    private static final String SPACED = "abi";

    /** Whether element {@code j} of the prefix (or the severity word, past the end or at {@code %q}) can start at {@code p}. */
    private boolean follows(byte[] b, int p, int end, int j) {
        if (j >= escapes.length) {
            return wordAt(b, p, end) >= 0;
        }
        return startsLike(escapes[j], b, p, end) || (j == qIndex && wordAt(b, p, end) >= 0);
    }

    /** A cheap look at whether a value of this escape can start at {@code p}; free text always can. */
    private static boolean startsLike(char escape, byte[] b, int p, int end) {
        return switch (escape) {
            case 't', 'm', 's' -> p + 4 < end && TimestampParser.digit(b[p]) && b[p + 4] == '-';
            case 'n', 'p', 'l', 'x' -> p < end && TimestampParser.digit(b[p]);
            case 'c' -> {
                int q = p;
                while (q < end && hex(b[q])) {
                    q++;
                }
                yield q > p && q < end && b[q] == '.';
            }
            case 'e' -> {
                boolean ok = p + 5 <= end;
                for (int k = p; ok && k < p + 5; k++) {
                    ok = (b[k] >= 'A' && b[k] <= 'Z') || TimestampParser.digit(b[k]);
                }
                yield ok;
            }
            default -> true;
        };
    }

    private static boolean hex(byte c) {
        return HEX[c & 0xff];
    }

    /** Lower-case hex digits, as {@code %c} writes them; a table, as a session id is read on every line. */
    private static final boolean[] HEX = new boolean[256];

    static {
        for (char c : "0123456789abcdef".toCharArray()) {
            HEX[c] = true;
        }
    }

    private static boolean allSpaces(byte[] b, int from, int to) {
        for (int k = from; k < to; k++) {
            if (b[k] != ' ') {
                return false;
            }
        }
        return true;
    }

    private void assign(char escape, byte[] b, int s, int e, Match m) {
        switch (escape) {
            case 'u' -> m.user = users.get(b, s, e);
            case 'd' -> m.database = databases.get(b, s, e);
            case 'a' -> m.application = applications.get(b, s, e);
            case 'h' -> {
                if (m.client == null) {
                    m.client = clients.get(b, s, e);
                }
            }
            case 'r' -> m.client = clients.get(b, s, e);
            case 'c' -> {
                m.sessionId = sessions.get(b, s, e);
                long h = 0xcbf29ce484222325L;
                for (int k = s; k < e; k++) {
                    h = (h ^ b[k]) * 0x100000001b3L;
                }
                m.key = h;
                m.hasKey = e > s;
            }
            case 'e' -> m.sqlState = states.get(b, s, e);
            default -> { }
        }
    }

    /** Reads the severity word, its colon and spaces, and a verbose SQLSTATE; sets the message start. */
    private static boolean severity(byte[] b, int p, int end, Match m) {
        while (p < end && b[p] == ' ') {
            p++;
        }
        int word = wordAt(b, p, end);
        if (word < 0) {
            return false;
        }
        int q = p + WORDS[word].length;
        m.kind = WORD_KINDS[word];
        m.severity = WORD_SEVERITIES[word];
        q++;
        for (int k = 0; k < 2 && q < end && b[q] == ' '; k++) {
            q++;
        }
        if (m.kind == PRIMARY && q + 7 <= end && b[q + 5] == ':' && b[q + 6] == ' ') {
            boolean code = true;
            boolean anyDigit = false;
            for (int k = q; k < q + 5 && code; k++) {
                anyDigit |= TimestampParser.digit(b[k]);
                code = (b[k] >= 'A' && b[k] <= 'Z') || TimestampParser.digit(b[k]);
            }
            if (code && anyDigit) {
                m.sqlState = new String(b, q, 5, StandardCharsets.US_ASCII);
                q += 7;
            }
        }
        m.messageStart = q;
        return true;
    }

    /**
     * The index of the severity (or sibling) word followed by a colon at {@code b[p]}, after any
     * spaces; -1 when there is none.
     */
    static int wordAt(byte[] b, int p, int end) {
        while (p < end && b[p] == ' ') {
            p++;
        }
        int q = p;
        while (q < end && q - p <= 9 && ((b[q] >= 'A' && b[q] <= 'Z') || TimestampParser.digit(b[q]))) {
            q++;
        }
        if (q >= end || b[q] != ':' || q == p) {
            return -1;
        }
        for (int w = 0; w < WORDS.length; w++) {
            if (WORDS[w].length == q - p && regionMatches(b, p, end, WORDS[w])) {
                return w;
            }
        }
        return -1;
    }

    static boolean regionMatches(byte[] b, int p, int end, byte[] lit) {
        if (p + lit.length > end) {
            return false;
        }
        for (int k = 0; k < lit.length; k++) {
            if (b[p + k] != lit[k]) {
                return false;
            }
        }
        return true;
    }

    static int indexOf(byte[] b, int from, int end, byte[] lit) {
        byte first = lit[0];
        int last = end - lit.length;
        for (int k = from; k <= last; k++) {
            if (b[k] == first && regionMatches(b, k, end, lit)) {
                return k;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return text;
    }

    /** How many session texts the segments keep now; for tests. */
    int segmentTextsKept() {
        int n = 0;
        for (Segment s : segments) {
            n += s == null ? 0 : s.kept();
        }
        return n;
    }

    /**
     * A run of prefix elements whose text a session repeats on every line, such as
     * {@code " [%p] %u@%d/%a %c:"}: matched field by field the first time, then recognized by its
     * bytes, which spares the field searches and decoding on most lines. A busy log interleaves a
     * few dozen sessions, so texts are kept per hash of their first bytes. A text is recalled only
     * when the element after it can start where it ends: the one thing outside the text that the
     * field-by-field match looked at.
     */
    private final class Segment {
        private static final int SLOTS = 256;
        /** Texts shorter than this are too short to be worth keeping (and would hash poorly). */
        private static final int SHORTEST = 4;
        final int from;
        final int to;
        private final byte[][] texts = new byte[SLOTS][];
        private final Match[] fields = new Match[SLOTS];
        /**
         * How many leading bytes choose a text's slot: the length of the shortest text seen, so that
         * every text has that many and the hash covers as much of it (the pid, the session id) as
         * possible. Shrinking it empties the slots.
         */
        private int hashed = Integer.MAX_VALUE;

        Segment(int from, int to) {
            this.from = from;
            this.to = to;
        }

        /** Matches the segment at {@code p}; returns where it ends, or -1. */
        int match(byte[] b, int p, int end, Match m) {
            int q = recall(b, p, end, m);
            if (q >= 0) {
                return q;
            }
            // a text is kept only when its fields ended at their first separator for reasons inside it
            boolean plain = !m.stretched && !m.fellBack;
            q = p;
            for (int i = from; i < to && q >= 0; i++) {
                q = matchElement(b, q, end, i, m);
            }
            if (q >= 0 && plain && !m.stretched && !m.fellBack) {
                remember(b, p, q, m);
            }
            return q;
        }

        private int recall(byte[] b, int p, int end, Match m) {
            if (end - p < hashed) {
                return -1;
            }
            int slot = slot(b, p);
            byte[] text = texts[slot];
            if (text == null) {
                return -1;
            }
            int q = p + text.length;
            if (q > end || !Arrays.equals(text, 0, text.length, b, p, q) || !follows(b, q, end, to)) {
                return -1;
            }
            Match f = fields[slot];
            for (int i = from; i < to; i++) {
                switch (escapes[i]) {
                    case 'p' -> {
                        m.pid = f.pid;
                        if (!hasSessionId) {
                            m.key = f.key;
                            m.hasKey = true;
                        }
                    }
                    case 'c' -> {
                        m.sessionId = f.sessionId;
                        m.key = f.key;
                        m.hasKey = f.hasKey;
                    }
                    case 'u' -> m.user = f.user;
                    case 'd' -> m.database = f.database;
                    case 'a' -> m.application = f.application;
                    case 'h', 'r' -> m.client = f.client;
                    default -> { }
                }
            }
            return q;
        }

        private void remember(byte[] b, int p, int q, Match m) {
            int n = q - p;
            if (n < SHORTEST) {
                return;
            }
            if (n < hashed) {
                hashed = n;
                Arrays.fill(texts, null);
            }
            int slot = slot(b, p);
            texts[slot] = Arrays.copyOfRange(b, p, q);
            if (fields[slot] == null) {
                fields[slot] = new Match();
            }
            fields[slot].copyFrom(m);
        }

        int kept() {
            int n = 0;
            for (byte[] t : texts) {
                n += t == null ? 0 : 1;
            }
            return n;
        }

        private int slot(byte[] b, int p) {
            int h = ByteScan.hash(b, p, p + hashed);
            return (h ^ (h >>> 16)) & (SLOTS - 1);
        }
    }

    /** The fields one line yielded; reused from line to line. */
    static final class Match {
        OffsetDateTime timestamp;
        int pid;
        String sessionId;
        long sessionLine;
        String user;
        String database;
        String application;
        String client;
        String sqlState;
        boolean hasKey;
        long key;
        /** {@code %t} read a fraction of a second or {@code %m} none: accepted, but a hint for inference. */
        boolean timestampFormMismatch;
        /** A free field's value took in text that could also have ended it (a space, a separator): accepted, but weaker evidence for inference. */
        boolean stretched;
        /**
         * A free field ended at the first separator only because no later one could be followed by
         * the next field: a choice that looked past the field's own text.
         */
        boolean fellBack;
        int kind;
        Severity severity;
        int messageStart;

        Match() {
            reset();
        }

        void reset() {
            timestamp = null;
            pid = -1;
            sessionId = null;
            sessionLine = -1;
            user = null;
            database = null;
            application = null;
            client = null;
            sqlState = null;
            hasKey = false;
            key = 0;
            timestampFormMismatch = false;
            stretched = false;
            fellBack = false;
            kind = -1;
            severity = null;
            messageStart = -1;
        }

        void copyFrom(Match o) {
            timestamp = o.timestamp;
            pid = o.pid;
            sessionId = o.sessionId;
            sessionLine = o.sessionLine;
            user = o.user;
            database = o.database;
            application = o.application;
            client = o.client;
            sqlState = o.sqlState;
            hasKey = o.hasKey;
            key = o.key;
            timestampFormMismatch = o.timestampFormMismatch;
            stretched = o.stretched;
            fellBack = o.fellBack;
            kind = o.kind;
            severity = o.severity;
            messageStart = o.messageStart;
        }

        void applyTo(LogEntry.Builder e) {
            e.timestamp(timestamp).pid(pid).sessionId(sessionId).sessionLine(sessionLine).user(user)
                    .database(database).application(application).client(client).severity(severity)
                    .sqlState(sqlState);
        }
    }

    /**
     * Decodes a field's bytes, reusing the string decoded before for the same bytes: a session's
     * user, database, application and session id repeat on every line it writes, and a few dozen
     * sessions interleave in a busy log, so the cache has a slot per hash of the bytes.
     */
    private static final class FieldCache {
        private static final int SLOTS = 256;
        private static final byte[] UNKNOWN = "[unknown]".getBytes(StandardCharsets.US_ASCII);
        private final byte[][] keys = new byte[SLOTS][];
        private final String[] values = new String[SLOTS];

        String get(byte[] b, int s, int e) {
            int n = e - s;
            if (n == 0) {
                return null;
            }
            // a few bytes, not all: the values that repeat differ at their ends (session ids) or in
            // length, and a collision only costs a decode
            int h = 31 * (31 * (31 * n + b[s]) + b[e - 1]) + b[s + (n >> 1)];
            if (n > 1) {
                h = 31 * h + b[e - 2];
            }
            int slot = (h ^ (h >>> 16)) & (SLOTS - 1);
            byte[] key = keys[slot];
            if (key != null && java.util.Arrays.equals(key, 0, key.length, b, s, e)) {
                return values[slot];
            }
            key = java.util.Arrays.copyOfRange(b, s, e);
            String v = java.util.Arrays.equals(key, UNKNOWN) ? null : new String(key, StandardCharsets.UTF_8);
            keys[slot] = key;
            values[slot] = v;
            return v;
        }
    }
}
