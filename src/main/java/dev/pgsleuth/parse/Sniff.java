package dev.pgsleuth.parse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The first bytes of a stream, looked at before reading it, then replayed in front of the rest. */
final class Sniff {
    static final int SIZE = 64 * 1024;

    final byte[] bytes;
    final int length;

    private Sniff(byte[] bytes, int length) {
        this.bytes = bytes;
        this.length = length;
    }

    static Sniff of(InputStream in) throws IOException {
        byte[] b = new byte[SIZE];
        int n = 0;
        while (n < b.length) {
            int r = in.read(b, n, b.length - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        return new Sniff(b, n);
    }

    static Sniff of(byte[] bytes) {
        return new Sniff(bytes, bytes.length);
    }

    /** The sniffed bytes followed by the rest of {@code in}. */
    InputStream replay(InputStream in) {
        return new SequenceInputStream(new ByteArrayInputStream(bytes, 0, length), in);
    }

    /** The complete lines (a line cut by the sniff's end is left out unless it is the only one). */
    List<byte[]> lines() {
        List<byte[]> lines = new ArrayList<>();
        int s = 0;
        for (int i = 0; i < length; i++) {
            if (bytes[i] == '\n') {
                int e = i > s && bytes[i - 1] == '\r' ? i - 1 : i;
                lines.add(Arrays.copyOfRange(bytes, s, e));
                s = i + 1;
            }
        }
        if (s < length && (length < SIZE || lines.isEmpty())) {
            lines.add(Arrays.copyOfRange(bytes, s, length));
        }
        return lines;
    }
}
