package dev.pgsleuth.bench;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Buffered byte output with the few encodings a log line needs (decimal numbers, milliseconds with
 * three decimals, UTF-8 text escaped for one of the log formats), so that generating a gigabyte
 * does not allocate a String per field.
 */
final class ByteSink {
    /** How text is escaped: as PostgreSQL writes message text in each format. */
    enum Escape {
        /** Nothing escaped (prefix fields). */
        NONE,
        /** stderr: every newline is followed by a tab, as {@code append_with_tabs} does. */
        STDERR,
        /** csvlog: double quotes doubled, as {@code appendCSVLiteral} does. */
        CSV,
        /** jsonlog: {@code escape_json}. */
        JSON
    }

    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final OutputStream out;
    /** Characters encoded per pass; the buffer has room for six bytes each. */
    private static final int CHUNK = 4096;

    private final byte[] buf = new byte[1 << 16];
    private final char[] chars = new char[CHUNK];
    private int pos;
    private long flushed;
    private long newlines;

    ByteSink(OutputStream out) {
        this.out = out;
    }

    /** {@code s} encoded as {@link #text} writes it. */
    static byte[] encode(CharSequence s, Escape escape) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(s.length() + 16);
        ByteSink sink = new ByteSink(bytes);
        try {
            sink.text(s, escape);
            sink.flush();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Bytes written so far, buffered ones included. */
    long count() {
        return flushed + pos;
    }

    /** Newline bytes written so far, buffered ones included. */
    long lines() {
        return newlines + countNewlines(0, pos);
    }

    void flush() throws IOException {
        newlines += countNewlines(0, pos);
        out.write(buf, 0, pos);
        flushed += pos;
        pos = 0;
        out.flush();
    }

    private long countNewlines(int from, int to) {
        long n = 0;
        for (int i = from; i < to; i++) {
            if (buf[i] == '\n') {
                n++;
            }
        }
        return n;
    }

    private void room(int n) throws IOException {
        if (pos + n > buf.length) {
            newlines += countNewlines(0, pos);
            out.write(buf, 0, pos);
            flushed += pos;
            pos = 0;
        }
    }

    void b(char c) throws IOException {
        room(1);
        buf[pos++] = (byte) c;
    }

    /** Bytes as they are: a cached timestamp, a statement text encoded once. */
    void bytes(byte[] b) throws IOException {
        if (b.length > buf.length) {
            for (int off = 0; off < b.length; off += buf.length) {
                int len = Math.min(buf.length, b.length - off);
                room(len);
                System.arraycopy(b, off, buf, pos, len);
                pos += len;
            }
            return;
        }
        room(b.length);
        System.arraycopy(b, 0, buf, pos, b.length);
        pos += b.length;
    }

    /** An ASCII string with no escaping. */
    void ascii(String s) throws IOException {
        int n = s.length();
        room(n);
        for (int i = 0; i < n; i++) {
            buf[pos++] = (byte) s.charAt(i);
        }
    }

    void num(long v) throws IOException {
        room(20);
        if (v < 0) {
            buf[pos++] = '-';
            v = -v;
        }
        if (v < 10) {
            buf[pos++] = (byte) ('0' + v);
            return;
        }
        int start = pos;
        while (v > 0) {
            buf[pos++] = (byte) ('0' + v % 10);
            v /= 10;
        }
        for (int i = start, j = pos - 1; i < j; i++, j--) {
            byte t = buf[i];
            buf[i] = buf[j];
            buf[j] = t;
        }
    }

    /** {@code v} zero-padded to {@code width} digits. */
    void padded(long v, int width) throws IOException {
        room(width);
        for (int i = pos + width - 1; i >= pos; i--) {
            buf[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        pos += width;
    }

    /** Microseconds as milliseconds with three decimals ({@code 1234 → 1.234}), as PostgreSQL logs durations. */
    void millis(long micros) throws IOException {
        num(micros / 1000);
        b('.');
        padded(micros % 1000, 3);
    }

    void hex(long v) throws IOException {
        room(16);
        if (v == 0) {
            buf[pos++] = '0';
            return;
        }
        int digits = (64 - Long.numberOfLeadingZeros(v) + 3) / 4;
        for (int i = digits - 1; i >= 0; i--) {
            buf[pos++] = HEX[(int) (v >>> (4 * i)) & 0xF];
        }
    }

    /** Text in UTF-8, escaped for {@code escape}. */
    void text(CharSequence s, Escape escape) throws IOException {
        int n = s.length();
        for (int from = 0; from < n; from += CHUNK) {
            int to = Math.min(n, from + CHUNK);
            if (s instanceof String str) {
                str.getChars(from, to, chars, 0);
            } else if (s instanceof StringBuilder sb) {
                sb.getChars(from, to, chars, 0);
            } else {
                for (int i = from; i < to; i++) {
                    chars[i - from] = s.charAt(i);
                }
            }
            // Worst case per char: six bytes (a JSON escape of a control character); UTF-8 needs at most three per char.
            room(6 * (to - from));
            encode(to - from, escape);
        }
    }

    private void encode(int n, Escape escape) {
        byte[] b = buf;
        int p = pos;
        for (int i = 0; i < n; i++) {
            char c = chars[i];
            if (c >= 0x80) {
                if (c < 0x800) {
                    b[p++] = (byte) (0xC0 | (c >> 6));
                    b[p++] = (byte) (0x80 | (c & 0x3F));
                } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(chars[i + 1])) {
                    int cp = Character.toCodePoint(c, chars[++i]);
                    b[p++] = (byte) (0xF0 | (cp >> 18));
                    b[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                    b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                    b[p++] = (byte) (0x80 | (cp & 0x3F));
                } else {
                    b[p++] = (byte) (0xE0 | (c >> 12));
                    b[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                    b[p++] = (byte) (0x80 | (c & 0x3F));
                }
                continue;
            }
            switch (escape) {
                case NONE -> b[p++] = (byte) c;
                case STDERR -> {
                    b[p++] = (byte) c;
                    if (c == '\n') {
                        b[p++] = '\t';
                    }
                }
                case CSV -> {
                    if (c == '"') {
                        b[p++] = '"';
                    }
                    b[p++] = (byte) c;
                }
                case JSON -> {
                    if (c >= 0x20 && c != '"' && c != '\\') {
                        b[p++] = (byte) c;
                    } else {
                        pos = p;
                        json(c);
                        p = pos;
                    }
                }
            }
        }
        pos = p;
    }

    private void json(char c) {
        switch (c) {
            case '"' -> {
                buf[pos++] = '\\';
                buf[pos++] = '"';
            }
            case '\\' -> {
                buf[pos++] = '\\';
                buf[pos++] = '\\';
            }
            case '\n' -> {
                buf[pos++] = '\\';
                buf[pos++] = 'n';
            }
            case '\t' -> {
                buf[pos++] = '\\';
                buf[pos++] = 't';
            }
            case '\r' -> {
                buf[pos++] = '\\';
                buf[pos++] = 'r';
            }
            default -> {
                if (c < 0x20) {
                    buf[pos++] = '\\';
                    buf[pos++] = 'u';
                    buf[pos++] = '0';
                    buf[pos++] = '0';
                    buf[pos++] = HEX[c >> 4];
                    buf[pos++] = HEX[c & 0xF];
                } else {
                    buf[pos++] = (byte) c;
                }
            }
        }
    }
}
