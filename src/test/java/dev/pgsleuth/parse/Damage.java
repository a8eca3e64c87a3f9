package dev.pgsleuth.parse;

import java.io.ByteArrayOutputStream;
import java.util.Random;

/** Damage to a log for the reader tests: one byte replaced, inserted or dropped at random. */
final class Damage {
    private Damage() {
    }

    /** {@code bytes} with one byte at a random place replaced by, or preceded by, a byte of {@code noise}, or dropped. */
    static byte[] oneByte(Random r, byte[] bytes, byte[] noise) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = bytes.length == 0 ? 0 : r.nextInt(bytes.length);
        int how = r.nextInt(3);
        out.write(bytes, 0, at);
        if (how != 1) {
            out.write(noise[r.nextInt(noise.length)]);
        }
        int skip = how == 2 ? 0 : 1;
        if (at + skip <= bytes.length) {
            out.write(bytes, at + skip, bytes.length - at - skip);
        }
        return out.toByteArray();
    }
}
