package dev.pgsleuth.parse;

import java.nio.charset.StandardCharsets;

/**
 * Reads Heroku Postgres logs as a logplex drain or {@code heroku logs} gives them:
 * {@code 2019-03-14T00:22:56+00:00 app[postgres.1234]: [DATABASE] [7-1] sql_error_code = … LOG:  …}.
 * The bracketed attachment name stands in for the database name when the prefix has none.
 */
public final class HerokuReader extends ChunkedReader {
    private static final byte[] POSTGRES = "postgres.".getBytes(StandardCharsets.US_ASCII);

    private final TimestampParser iso = new TimestampParser();
    private byte[] lastColor = new byte[0];
    private String lastColorText;

    /** A reader for the given prefix ({@code null}: inferred). */
    public HerokuReader(String prefix) {
        super(prefix);
    }

    @Override
    boolean piecesSplitLines() {
        return false;
    }

    @Override
    boolean header(byte[] b, int s, int e, Header h) {
        int p = s;
        // a drain's HTTP body frames each line with its length and a syslog priority
        while (p < e && TimestampParser.digit(b[p]) && p - s < 8) {
            p++;
        }
        if (p > s && p < e && b[p] == ' ') {
            p++;
        } else {
            p = s;
        }
        if (p < e && b[p] == '<') {
            while (p < e && b[p] != '>') {
                p++;
            }
            p++;
            while (p < e && b[p] != ' ') {
                p++;
            }
            p++;
        }
        int after = iso.parse(b, p, Math.min(e, p + 40));
        if (after < 0 || b[p + 10] != 'T') {
            return false;
        }
        h.timestamp = iso.value;
        int at = LogLinePrefix.indexOf(b, after, Math.min(e, after + 120), POSTGRES);
        if (at < 0) {
            return false;
        }
        p = at + POSTGRES.length;
        int pid = 0;
        int ds = p;
        while (p < e && TimestampParser.digit(b[p])) {
            pid = pid * 10 + (b[p] - '0');
            p++;
        }
        if (p == ds) {
            return false;
        }
        h.pid = pid;
        if (p + 1 < e && b[p] == ']' && b[p + 1] == ':') {
            p += 2;
        } else if (p + 2 < e && b[p] == ' ' && b[p + 1] == '-') {
            p += 2;
        } else {
            return false;
        }
        while (p < e && b[p] == ' ') {
            p++;
        }
        if (p < e && b[p] == '[' && p + 1 < e && !TimestampParser.digit(b[p + 1])) {
            int cs = p + 1;
            int q = cs;
            while (q < e && b[q] != ']' && b[q] != ' ') {
                q++;
            }
            if (q < e && b[q] == ']') {
                h.database = color(b, cs, q);
                p = q + 1;
                while (p < e && b[p] == ' ') {
                    p++;
                }
            }
        }
        p = chunkMarker(b, p, e, h);
        while (p < e && b[p] == ' ') {
            p++;
        }
        h.textStart = p;
        return true;
    }

    private String color(byte[] b, int s, int e) {
        if (lastColorText == null || !LogLinePrefix.regionMatches(b, s, e, lastColor) || lastColor.length != e - s) {
            lastColor = java.util.Arrays.copyOfRange(b, s, e);
            lastColorText = new String(lastColor, StandardCharsets.UTF_8);
        }
        return lastColorText;
    }
}
