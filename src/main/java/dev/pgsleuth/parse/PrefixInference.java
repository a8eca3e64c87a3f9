package dev.pgsleuth.parse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * Finds the {@code log_line_prefix} a log was written with when the user did not say: every
 * known prefix is tried on the first lines and the one that reads the most lines wins; among
 * equals, the one that reads the most fields, then the simpler one. When none reads (nearly)
 * all of them, prefixes derived from the lines themselves ({@link PrefixSynthesizer}) are tried
 * the same way and taken when one reads clearly more.
 */
public final class PrefixInference {
    /** Lines looked at; more add time, not certainty. */
    static final int MAX_LINES = 2000;
    /** Lines a derived prefix is first tried on; the few best are then tried on all. */
    static final int PROBE_LINES = 250;

    /**
     * Known prefixes: PostgreSQL's default, the Debian/Ubuntu packages', the ones pgBadger's
     * documentation and test logs use, managed services' (RDS, Azure, Cloud SQL, Heroku) and
     * other common ones.
     */
    private static final List<String> CANDIDATES = List.of(
            "%m [%p] ",
            "%t [%p] ",
            "%m [%p] %q%u@%d ",
            "%t [%p] %q%u@%d ",
            "%m [%p-%l] %q%u@%d ",
            "%t [%p-%l] %q%u@%d ",
            "%m [%p] %q[user=%u,db=%d,app=%a] ",
            "%m [%p] %q[user=%u,db=%d,app=%a,client=%h] ",
            "%m [%p] %q%u@%d/%a ",
            "%m [%p] %q[%u@%d] ",
            "%t [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h ",
            "%m [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h ",
            "%t [%p]: [%l-1] user=%u,db=%d,host=%h,app=%a ",
            "%t [%p]: [%l-1] user=%u,db=%d ",
            "%m [%p]: [%l-1] user=%u,db=%d ",
            "%t [%p]: [%l-1] db=%d,user=%u ",
            "%m [%p]: [%l-1] db=%d,user=%u ",
            "%t [%p]: [%l-1] ",
            "%m [%p]: [%l-1] ",
            "%t [%p]: [%l] %quser=%u,db=%d,app=%a,client=%h ",
            "%m [%p]: [%l] %quser=%u,db=%d,app=%a,client=%h ",
            "%t [%p]: db=%d,user=%u,app=%a,client=%h ",
            "%t [%p]: user=%u,db=%d,app=%a,client=%h ",
            "%m [%p]: user=%u,db=%d,app=%a,client=%h ",
            "%m [%p] user=%u,db=%d,app=%a,client=%h ",
            "%m [%p] user=%u,db=%d ",
            "%t [%p] user=%u,db=%d ",
            "%t [%p]: ",
            "%m [%p]: ",
            "%m [%p] %u@%d ",
            "%m [%p] %h %u@%d ",
            "%m %u %d [%p] ",
            "%m [%p] %u %d %a %h ",
            "%t:%r:%u@%d:[%p]:",
            "%m:%r:%u@%d:[%p]:",
            "%t-%c-",
            "%m-%c-",
            "< %m >",
            "< %t >",
            "%m [%c] ",
            "%m %c %l ",
            "%n [%p] ",
            "sql_error_code = %e time_ms = \"%m\" pid=\"%p\" proc_start_time=\"%s\" session_id=\"%c\" vtid=\"%v\" "
                    + "tid=\"%x\" log_line=\"%l\" %qdatabase=\"%d\" connection_source=\"%r\" user=\"%u\" "
                    + "application_name=\"%a\" ",
            "sql_error_code = %e ",
            "user=%u,db=%d,app=%a,client=%h ",
            "user=%u,db=%d ",
            "db=%d,user=%u ",
            "%u@%d ",
            "");

    private PrefixInference() {
    }

    /**
     * What inference found.
     *
     * @param prefix       the chosen {@code log_line_prefix}
     * @param matchedLines how many of the sampled lines it reads
     * @param sampledLines how many lines were looked at (continuation and empty lines are not)
     */
    public record Result(String prefix, int matchedLines, int sampledLines) {
        /** True when the prefix reads enough of the lines to trust that the log is in this form. */
        public boolean convincing() {
            return matchedLines > 0 && (matchedLines >= 10 || matchedLines * 2 >= sampledLines);
        }
    }

    /** The prefixes tried, in order of preference among equals. */
    public static List<String> candidates() {
        return CANDIDATES;
    }

    /** Infers the prefix of these lines; {@code null} when no candidate reads any of them. */
    public static Result infer(List<String> lines) {
        List<byte[]> bytes = new ArrayList<>(lines.size());
        for (String l : lines) {
            bytes.add(l.getBytes(StandardCharsets.UTF_8));
        }
        return inferBytes(bytes);
    }

    /** The prefix a reader reads with, and the stream it reads (the head replayed when it was sniffed). */
    record PrefixedInput(String prefix, InputStream input) {
    }

    /**
     * What a reader built without a prefix reads with: {@code given} when not null; else the
     * prefix inferred from {@code messageLines} of the stream's head, which is then replayed;
     * else {@code fallback}.
     */
    static PrefixedInput prefixed(InputStream in, String given, Function<Sniff, List<byte[]>> messageLines,
                                  String fallback) throws IOException {
        if (given != null) {
            return new PrefixedInput(given, in);
        }
        Sniff sniff = Sniff.of(in);
        Result r = inferBytes(messageLines.apply(sniff));
        return new PrefixedInput(r == null ? fallback : r.prefix(), sniff.replay(in));
    }

    static Result inferBytes(List<byte[]> lines) {
        List<byte[]> sample = new ArrayList<>();
        for (byte[] l : lines) {
            if (l.length > 0 && l[0] != '\t' && sample.size() < MAX_LINES) {
                sample.add(l);
            }
        }
        Score best = null;
        for (String candidate : CANDIDATES) {
            best = better(best, score(candidate, sample));
        }
        // a known prefix that reads (nearly) every line cleanly is taken as it is; else the lines
        // tell their own prefix, which must then read clearly more of them
        int margin = sample.size() / 100;
        if (best == null || best.clean < sample.size() - margin) {
            Score derived = derive(sample);
            if (derived != null && (best == null || derived.weight() > best.weight() + 2L * margin)) {
                best = derived;
            }
        }
        return best == null ? null : new Result(best.prefix, best.matched, sample.size());
    }

    /**
     * The best prefix derived from the lines: every template and {@code %q} variant is tried on a
     * spread of at most {@link #PROBE_LINES} lines, the best few on all of them.
     */
    private static Score derive(List<byte[]> sample) {
        List<byte[]> probe = sample;
        if (sample.size() > PROBE_LINES) {
            probe = new ArrayList<>(PROBE_LINES);
            for (int i = 0; i < PROBE_LINES; i++) {
                probe.add(sample.get((int) ((long) i * sample.size() / PROBE_LINES)));
            }
        }
        List<Score> tried = new ArrayList<>();
        for (String template : PrefixSynthesizer.templates(sample)) {
            Score plain = score(template, probe);
            add(tried, plain);
            if (plain == null || plain.clean < probe.size()) {
                for (String variant : PrefixSynthesizer.qVariants(template)) {
                    add(tried, score(variant, probe));
                }
            }
        }
        if (probe == sample) {
            return tried.stream().reduce(null, PrefixInference::better);
        }
        tried.sort(ORDER);
        Score best = null;
        for (int i = 0; i < tried.size() && i < 3; i++) {
            best = better(best, score(tried.get(i).prefix, sample));
        }
        return best;
    }

    private static void add(List<Score> scores, Score s) {
        if (s != null) {
            scores.add(s);
        }
    }

    /**
     * How well one prefix reads the sample: lines matched, of them those matched cleanly (no free
     * field stretched, no user, database, client or session id with a space), and fields read.
     */
    private record Score(String prefix, int matched, int clean, long fields, int escapes) {
        /** Stretched matches count half: they are plausible, not certain. */
        long weight() {
            return 2L * clean + (matched - clean);
        }
    }

    /** Better first: more weight, then more fields, then fewer escapes. */
    private static final Comparator<Score> ORDER = Comparator.comparingLong(Score::weight).reversed()
            .thenComparing(Comparator.comparingLong(Score::fields).reversed())
            .thenComparingInt(Score::escapes);

    /** The better of two scores; the first among equals. */
    private static Score better(Score a, Score b) {
        if (b == null) {
            return a;
        }
        return a == null || ORDER.compare(b, a) < 0 ? b : a;
    }

    private static Score score(String text, List<byte[]> sample) {
        LogLinePrefix prefix = LogLinePrefix.compile(text);
        LogLinePrefix.Match m = new LogLinePrefix.Match();
        int matched = 0;
        int clean = 0;
        long fields = 0;
        for (byte[] l : sample) {
            if ((prefix.match(l, 0, l.length, m) || retryAfterIsoStamp(prefix, l, m)) && !m.timestampFormMismatch) {
                matched++;
                clean += m.stretched || spaced(m.user) || spaced(m.database) || spaced(m.client)
                        || spaced(m.sessionId) ? 0 : 1;
                fields += fieldCount(m);
            }
        }
        return matched == 0 ? null : new Score(text, matched, clean, fields, escapeCount(text));
    }

    /** Names with spaces are legal but rare: such a reading more likely cut the line in the wrong place. */
    private static boolean spaced(String v) {
        return v != null && v.indexOf(' ') >= 0;
    }

    private static boolean retryAfterIsoStamp(LogLinePrefix prefix, byte[] l, LogLinePrefix.Match m) {
        int after = StderrLines.afterIsoStamp(l, 0, l.length);
        return after > 0 && prefix.match(l, after, l.length, m);
    }

    private static int fieldCount(LogLinePrefix.Match m) {
        int n = 0;
        n += m.timestamp != null ? 1 : 0;
        n += m.pid >= 0 ? 1 : 0;
        n += m.sessionId != null ? 1 : 0;
        n += m.sessionLine >= 0 ? 1 : 0;
        n += m.user != null ? 1 : 0;
        n += m.database != null ? 1 : 0;
        n += m.application != null ? 1 : 0;
        n += m.client != null ? 1 : 0;
        n += m.sqlState != null ? 1 : 0;
        return n;
    }

    private static int escapeCount(String prefix) {
        int n = 0;
        for (int i = 0; i < prefix.length(); i++) {
            if (prefix.charAt(i) == '%') {
                n++;
            }
        }
        return n;
    }
}
