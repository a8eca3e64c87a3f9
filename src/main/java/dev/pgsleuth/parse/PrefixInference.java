package dev.pgsleuth.parse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the {@code log_line_prefix} a log was written with when the user did not say: every
 * known prefix is tried on the first lines and the one that reads the most lines wins; among
 * equals, the one that reads the most fields, then the simpler one.
 */
public final class PrefixInference {
    /** Lines looked at; more add time, not certainty. */
    static final int MAX_LINES = 2000;

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

    static Result inferBytes(List<byte[]> lines) {
        List<byte[]> sample = new ArrayList<>();
        for (byte[] l : lines) {
            if (l.length > 0 && l[0] != '\t' && sample.size() < MAX_LINES) {
                sample.add(l);
            }
        }
        Result best = null;
        long bestFields = -1;
        int bestEscapes = Integer.MAX_VALUE;
        LogLinePrefix.Match m = new LogLinePrefix.Match();
        for (String candidate : CANDIDATES) {
            LogLinePrefix prefix = LogLinePrefix.compile(candidate);
            int matched = 0;
            long fields = 0;
            for (byte[] l : sample) {
                if ((prefix.match(l, 0, l.length, m) || retryAfterIsoStamp(prefix, l, m)) && !m.timestampFormMismatch) {
                    matched++;
                    fields += fieldCount(m);
                }
            }
            if (matched == 0) {
                continue;
            }
            int escapes = escapeCount(candidate);
            boolean better = best == null || matched > best.matchedLines
                    || (matched == best.matchedLines && (fields > bestFields
                        || (fields == bestFields && escapes < bestEscapes)));
            if (better) {
                best = new Result(candidate, matched, sample.size());
                bestFields = fields;
                bestEscapes = escapes;
            }
        }
        return best;
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
