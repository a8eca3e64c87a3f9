package dev.pgsleuth.parse;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes log lines the way PostgreSQL 17's {@code log_line_prefix()} in {@code elog.c} does:
 * session fields ({@code %u %d %a %h %r %i}) only for processes with a client connection, with
 * {@code [unknown]} while a name is not known yet; {@code %q} ends the prefix of every other
 * process; {@code %v} is empty where there is no PGPROC; {@code %l} counts every line a process
 * writes, DETAIL and STATEMENT lines included.
 */
final class PrefixRenderer {
    private static final DateTimeFormatter SECOND = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /** One server process. */
    static final class Proc {
        final int pid;
        final long start;
        final String backendType;
        final boolean client;
        final String host;
        final String port;
        final String vxid;
        String user;
        String database;
        String application;
        long line;
        String xid = "0";

        Proc(int pid, long start, String backendType, boolean client, String host, String port, String vxid) {
            this.pid = pid;
            this.start = start;
            this.backendType = backendType;
            this.client = client;
            this.host = host;
            this.port = port;
            this.vxid = vxid;
        }
    }

    private final String prefix;
    private final List<String> lines = new ArrayList<>();
    private long millis = 1_714_558_830_456L;

    PrefixRenderer(String prefix) {
        this.prefix = prefix;
    }

    static Proc background(int pid, String type, String vxid) {
        return new Proc(pid, 1_714_558_800L, type, false, null, null, vxid);
    }

    static Proc client(int pid, String host, String port, String vxid) {
        return new Proc(pid, 1_714_558_830L + pid % 7, "client backend", true, host, port, vxid);
    }

    /** Writes one line: prefix, {@code WORD:  } and text; {@code sqlState} for {@code %e}. */
    PrefixRenderer line(Proc p, String word, String sqlState, String text) {
        millis += 137;
        lines.add(prefix(p, sqlState) + word + ":  " + text);
        return this;
    }

    PrefixRenderer log(Proc p, String text) {
        return line(p, "LOG", "00000", text);
    }

    List<String> lines() {
        return lines;
    }

    private String prefix(Proc p, String sqlState) {
        p.line++;
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < prefix.length(); i++) {
            char c = prefix.charAt(i);
            if (c != '%' || i + 1 == prefix.length()) {
                b.append(c);
                continue;
            }
            int width = 0;
            boolean left = prefix.charAt(i + 1) == '-';
            if (left) {
                i++;
            }
            while (Character.isDigit(prefix.charAt(i + 1))) {
                width = width * 10 + prefix.charAt(++i) - '0';
            }
            char e = prefix.charAt(++i);
            int at = b.length();
            if (e != 'q') {
                value(b, p, e, sqlState);
            } else if (!p.client) {
                return b.toString();
            }
            // padding as PostgreSQL's appendStringInfo("%*s") writes it: right-aligned, or left with -
            int pad = width - (b.length() - at);
            if (pad > 0) {
                if (left) {
                    b.append(" ".repeat(pad));
                } else {
                    b.insert(at, " ".repeat(pad));
                }
            }
        }
        return b.toString();
    }

    private void value(StringBuilder b, Proc p, char e, String sqlState) {
        Instant now = Instant.ofEpochMilli(millis);
        switch (e) {
            case 'a' -> b.append(p.client ? unknown(p.application) : "");
            case 'u' -> b.append(p.client ? unknown(p.user) : "");
            case 'd' -> b.append(p.client ? unknown(p.database) : "");
            case 'h' -> b.append(p.client ? p.host : "");
            case 'r' -> b.append(p.client ? p.host + (p.port.isEmpty() ? "" : "(" + p.port + ")") : "");
            case 'b' -> b.append(p.backendType);
            case 'p' -> b.append(p.pid);
            case 'c' -> b.append(Long.toHexString(p.start)).append('.').append(Integer.toHexString(p.pid));
            case 'l' -> b.append(p.line);
            case 'm' -> b.append(SECOND.format(now.atOffset(ZoneOffset.UTC)))
                    .append(String.format(".%03d UTC", millis % 1000));
            case 't' -> b.append(SECOND.format(now.atOffset(ZoneOffset.UTC))).append(" UTC");
            case 'n' -> b.append(millis / 1000).append(String.format(".%03d", millis % 1000));
            case 'v' -> b.append(p.vxid);
            case 'x' -> b.append(p.xid);
            case 'e' -> b.append(sqlState);
            case '%' -> b.append('%');
            default -> throw new IllegalArgumentException("escape %" + e + " not rendered");
        }
    }

    private static String unknown(String v) {
        return v == null || v.isEmpty() ? "[unknown]" : v;
    }
}
