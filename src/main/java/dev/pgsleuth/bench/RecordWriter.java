package dev.pgsleuth.bench;

import dev.pgsleuth.parse.LogFormat;
import java.io.IOException;

/**
 * Writes a {@link Rec} as PostgreSQL 17 writes it to one log destination, byte for byte the
 * forms of {@code sample-logs/}.
 */
abstract class RecordWriter {
    final LogClock clock;
    final ByteSink out;

    RecordWriter(LogClock clock, ByteSink out) {
        this.clock = clock;
        this.out = out;
    }

    static RecordWriter of(LogFormat format, LogClock clock, ByteSink out) {
        return switch (format) {
            case STDERR -> new Stderr(clock, out);
            case CSVLOG -> new Csv(clock, out);
            case JSONLOG -> new Json(clock, out);
            default -> throw new IllegalArgumentException("no synthetic " + format.cliName() + " log");
        };
    }

    abstract void write(Rec r) throws IOException;

    /** How this format escapes message text. */
    static ByteSink.Escape escape(LogFormat format) {
        return switch (format) {
            case CSVLOG -> ByteSink.Escape.CSV;
            case JSONLOG -> ByteSink.Escape.JSON;
            default -> ByteSink.Escape.STDERR;
        };
    }

    final void sessionId(Proc p) throws IOException {
        out.hex(p.startEpochSecond);
        out.b('.');
        out.hex(p.pid);
    }

    static String orUnknown(String s) {
        return s == null || s.isEmpty() ? "[unknown]" : s;
    }

    /** stderr with {@code log_line_prefix = '%m [%p] %q%u@%d/%a %c:%l '}; every part gets its own prefix. */
    static final class Stderr extends RecordWriter {
        Stderr(LogClock clock, ByteSink out) {
            super(clock, out);
        }

        @Override
        void write(Rec r) throws IOException {
            line(r, r.severity, r.message, r.messageTail);
            if (r.detail != null) {
                line(r, "DETAIL", r.detail, null);
            }
            if (r.context != null) {
                line(r, "CONTEXT", r.context, null);
            }
            if (r.statement != null) {
                line(r, "STATEMENT", r.statement, null);
            }
        }

        private void line(Rec r, String label, CharSequence text, byte[] tail) throws IOException {
            Proc p = r.proc;
            p.line++;
            clock.writeTimestamp(out);
            out.ascii(" [");
            out.num(p.pid);
            out.ascii("] ");
            if (p.client) {
                out.text(orUnknown(p.user), ByteSink.Escape.NONE);
                out.b('@');
                out.text(orUnknown(p.database), ByteSink.Escape.NONE);
                out.b('/');
                out.text(orUnknown(p.application), ByteSink.Escape.NONE);
                out.b(' ');
                sessionId(p);
                out.b(':');
                out.num(p.line);
                out.b(' ');
            }
            out.ascii(label);
            out.ascii(":  ");
            out.text(text, ByteSink.Escape.STDERR);
            if (tail != null) {
                out.bytes(tail);
            }
            out.b('\n');
        }
    }

    /** csvlog, the 26 columns of PostgreSQL 17. */
    static final class Csv extends RecordWriter {
        Csv(LogClock clock, ByteSink out) {
            super(clock, out);
        }

        @Override
        void write(Rec r) throws IOException {
            Proc p = r.proc;
            p.line++;
            clock.writeTimestamp(out);
            out.b(',');
            if (p.client && p.user != null) {
                quoted(p.user);
            }
            out.b(',');
            if (p.client && p.database != null) {
                quoted(p.database);
            }
            out.b(',');
            out.num(p.pid);
            out.b(',');
            if (p.client) {
                out.b('"');
                out.ascii(p.host);
                out.b(':');
                out.num(p.port);
                out.b('"');
            }
            out.b(',');
            sessionId(p);
            out.b(',');
            out.num(p.line);
            out.b(',');
            if (r.ps != null) {
                quoted(r.ps);
            }
            out.b(',');
            out.bytes(p.sessionStart);
            out.b(',');
            if (r.vxid) {
                out.num(p.backendId);
                out.b('/');
                out.num(p.localXid);
            }
            out.b(',');
            out.num(r.txid);
            out.b(',');
            out.ascii(r.severity);
            out.b(',');
            out.ascii(r.sqlState);
            out.b(',');
            out.b('"');
            out.text(r.message, ByteSink.Escape.CSV);
            if (r.messageTail != null) {
                out.bytes(r.messageTail);
            }
            out.ascii("\",");
            optional(r.detail);
            out.ascii(",,,,"); // hint, internal query, internal position
            optional(r.context);
            out.b(',');
            optional(r.statement);
            out.ascii(",,,"); // cursor position, location
            quoted(p.application == null ? "" : p.application);
            out.b(',');
            quoted(p.backendType);
            out.ascii(",,0\n"); // leader_pid, query_id
        }

        private void optional(CharSequence s) throws IOException {
            if (s != null) {
                quoted(s);
            }
        }

        private void quoted(CharSequence s) throws IOException {
            out.b('"');
            out.text(s, ByteSink.Escape.CSV);
            out.b('"');
        }
    }

    /** jsonlog: one object per line, keys in the order and with the omissions of PostgreSQL 17. */
    static final class Json extends RecordWriter {
        Json(LogClock clock, ByteSink out) {
            super(clock, out);
        }

        @Override
        void write(Rec r) throws IOException {
            Proc p = r.proc;
            p.line++;
            out.ascii("{\"timestamp\":\"");
            clock.writeTimestamp(out);
            out.b('"');
            if (p.client && p.user != null) {
                string("user", p.user);
            }
            if (p.client && p.database != null) {
                string("dbname", p.database);
            }
            out.ascii(",\"pid\":");
            out.num(p.pid);
            if (p.client) {
                string("remote_host", p.host);
                out.ascii(",\"remote_port\":");
                out.num(p.port);
            }
            out.ascii(",\"session_id\":\"");
            sessionId(p);
            out.ascii("\",\"line_num\":");
            out.num(p.line);
            if (r.ps != null) {
                string("ps", r.ps);
            }
            out.ascii(",\"session_start\":\"");
            out.bytes(p.sessionStart);
            out.b('"');
            if (r.vxid) {
                out.ascii(",\"vxid\":\"");
                out.num(p.backendId);
                out.b('/');
                out.num(p.localXid);
                out.b('"');
            }
            out.ascii(",\"txid\":");
            out.num(r.txid);
            string("error_severity", r.severity);
            if (!"00000".equals(r.sqlState)) {
                string("state_code", r.sqlState);
            }
            out.ascii(",\"message\":\"");
            out.text(r.message, ByteSink.Escape.JSON);
            if (r.messageTail != null) {
                out.bytes(r.messageTail);
            }
            out.b('"');
            if (r.detail != null) {
                string("detail", r.detail);
            }
            if (r.context != null) {
                string("context", r.context);
            }
            if (r.statement != null) {
                string("statement", r.statement);
            }
            if (p.application != null && !p.application.isEmpty()) {
                string("application_name", p.application);
            }
            string("backend_type", p.backendType);
            out.ascii(",\"query_id\":0}\n");
        }

        private void string(String key, CharSequence value) throws IOException {
            out.ascii(",\"");
            out.ascii(key);
            out.ascii("\":\"");
            out.text(value, ByteSink.Escape.JSON);
            out.b('"');
        }
    }
}
