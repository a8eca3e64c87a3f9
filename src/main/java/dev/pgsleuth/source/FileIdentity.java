package dev.pgsleuth.source;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.zip.CRC32C;

/**
 * Which file a followed log is, independent of its name: the file system's key (device and
 * inode on Unix) plus a checksum of its first bytes. The key alone is not enough (an inode is
 * reused once a deleted file is closed, a copytruncate keeps it); the checksum alone is not
 * either (a file shorter than the checksummed length still grows). Together they say "same
 * file, same content start" the way Fluent Bit (inode + offset marker) and Filebeat/Vector
 * (fingerprint) do.
 *
 * @param key        the file key ({@link BasicFileAttributes#fileKey()}), or empty when the file
 *                   system has none
 * @param headLength how many first bytes the checksum covers (at most {@value #HEAD_BYTES})
 * @param headCrc    CRC-32C of those bytes
 */
public record FileIdentity(String key, int headLength, long headCrc) {
    /** Bytes at the start of a file that identify its content. */
    public static final int HEAD_BYTES = 1024;

    /** The identity of the file now at {@code path}, or {@code null} when there is none. */
    static String keyOf(Path path) {
        try {
            Object k = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
            return k == null ? "" : k.toString();
        } catch (IOException e) {
            return null;
        }
    }

    /** The identity of an open file whose key is known, over its first bytes as they are now. */
    static FileIdentity of(String key, FileChannel channel) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(HEAD_BYTES);
        readFully(channel, head);
        head.flip();
        return new FileIdentity(key, head.remaining(), crc(head));
    }

    /** Whether {@code channel} still starts with the bytes this identity was taken over. */
    boolean headMatches(FileChannel channel) throws IOException {
        if (headLength == 0) {
            return true;
        }
        ByteBuffer head = ByteBuffer.allocate(headLength);
        readFully(channel, head);
        head.flip();
        return head.remaining() == headLength && crc(head) == headCrc;
    }

    private static void readFully(FileChannel channel, ByteBuffer into) throws IOException {
        long pos = 0;
        while (into.hasRemaining()) {
            int n = channel.read(into, pos);
            if (n <= 0) {
                break;
            }
            pos += n;
        }
    }

    private static long crc(ByteBuffer bytes) {
        CRC32C c = new CRC32C();
        c.update(bytes);
        return c.getValue();
    }
}
