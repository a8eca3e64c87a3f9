package dev.pgsleuth.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Blocks of whole lines, read into the buffers of blocks handed back. */
class LineBlocksTest {
    private static String text(LineBlocks.Block b) {
        return new String(b.bytes(), 0, b.length(), StandardCharsets.US_ASCII);
    }

    @Test
    void aBlockHandedBackIsReadIntoAgainWithTheLinesThatFollow() throws IOException {
        // blocks of 16 bytes: each ends at its last whole line, the rest starts the next block
        byte[] log = "aaaa\nbbbbbb\ncc\ndddddddd\neeee\nffffff\n".getBytes(StandardCharsets.US_ASCII);
        LineBlocks blocks = new LineBlocks(new ByteArrayInputStream(log), 16, 1000);
        LineBlocks.Block first = blocks.next();
        assertEquals("aaaa\nbbbbbb\ncc\n", text(first));
        blocks.reuse(first.bytes());
        LineBlocks.Block second = blocks.next();
        assertSame(first.bytes(), second.bytes(), "read into the buffer handed back");
        assertEquals("dddddddd\neeee\n", text(second));
        LineBlocks.Block third = blocks.next();
        assertNotSame(second.bytes(), third.bytes(), "the second block was not handed back: a new buffer");
        assertEquals("ffffff\n", text(third));
        assertEquals(log.length, first.length() + second.length() + third.length());
        assertEquals(15, second.offset());
        assertNull(blocks.next());
    }

    @Test
    void aBufferGrownForALongLineIsNotKeptAsItMayBeAsLongAsTheLongestLine() throws IOException {
        // the buffer doubles to 64 bytes to hold the first line, and the block takes what fits
        byte[] log = "a line longer than sixteen bytes\nshort1\nshort2\nshort3\nshort4\nshort5\n"
                .getBytes(StandardCharsets.US_ASCII);
        LineBlocks blocks = new LineBlocks(new ByteArrayInputStream(log), 16, 1000);
        LineBlocks.Block longLine = blocks.next();
        assertEquals(64, longLine.bytes().length);
        assertEquals("a line longer than sixteen bytes\nshort1\nshort2\nshort3\nshort4\n", text(longLine));
        blocks.reuse(longLine.bytes());
        LineBlocks.Block next = blocks.next();
        assertEquals(16, next.bytes().length, "a new buffer of the block size");
        assertEquals("short5\n", text(next));
        assertNull(blocks.next());
    }
}
