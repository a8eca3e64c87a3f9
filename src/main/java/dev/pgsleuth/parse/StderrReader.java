package dev.pgsleuth.parse;

import dev.pgsleuth.model.LogEntry;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

/**
 * Reads PostgreSQL's stderr log (also the logging collector's {@code .log} files, RDS/Aurora and
 * Azure logs) written with one {@code log_line_prefix}.
 */
public final class StderrReader implements FormatReader {
    private final String prefixText;
    private final int blockBytes;
    private final int maxLine;
    private String used;

    /**
     * A reader for logs written with {@code prefix}; with {@code null} the prefix is inferred from
     * the first lines (see {@link #prefix()}).
     */
    public StderrReader(String prefix) {
        this(prefix, LineReader.DEFAULT_MAX_LINE);
    }

    StderrReader(String prefix, int maxLine) {
        this(prefix, maxLine, LineBlocks.BLOCK_BYTES);
    }

    StderrReader(String prefix, int maxLine, int blockBytes) {
        this.prefixText = prefix;
        this.maxLine = maxLine;
        this.blockBytes = blockBytes;
        this.used = prefix;
    }

    /** The given prefix, else one inferred from the head of {@code in}, which is then replayed; it becomes {@link #prefix()}. */
    private PrefixInference.PrefixedInput choosePrefix(InputStream in) throws IOException {
        PrefixInference.PrefixedInput chosen = PrefixInference.prefixed(in, prefixText, Sniff::lines, "%m [%p] ");
        used = chosen.prefix();
        return chosen;
    }

    /** The prefix the last {@link #read} used, given or inferred; {@code null} before. */
    public String prefix() {
        return used;
    }

    @Override
    public long read(InputStream in, String sourceName, Consumer<LogEntry.Builder> out, UnparsedLines unparsed)
            throws IOException {
        PrefixInference.PrefixedInput chosen = choosePrefix(in);
        StderrLines lines = new StderrLines(LogLinePrefix.compile(used), sourceName, out, unparsed);
        LineReader lr = new LineReader(chosen.input(), maxLine);
        while (lr.next()) {
            if (lr.overlong) {
                lines.skipped(lr.number, StderrLines.overlong(maxLine, lr.buf, lr.start, lr.end));
                continue;
            }
            lines.line(lr.buf, lr.start, lr.end, lr.offset, lr.number, lr.ascii);
        }
        lines.finish();
        return lr.number;
    }

    /**
     * Reads with the lines of each block ({@link LineBlocks}) parsed on {@code workers} (prefix
     * fields, severity, message text), while this thread reads the next blocks and joins the
     * parsed lines into entries in input order.
     */
    @Override
    public long read(InputStream in, String sourceName, Consumer<LogEntry.Builder> out, UnparsedLines unparsed,
            ExecutorService workers) throws IOException {
        if (workers == null) {
            return read(in, sourceName, out, unparsed);
        }
        PrefixInference.PrefixedInput chosen = choosePrefix(in);
        String prefix = chosen.prefix();
        StderrLines lines = new StderrLines(LogLinePrefix.compile(prefix), sourceName, out, unparsed);
        // a parser keeps caches of decoded values: one per worker thread
        ThreadLocal<StderrLines.LineParser> parsers =
                ThreadLocal.withInitial(() -> new StderrLines.LineParser(LogLinePrefix.compile(prefix)));
        LineBlocks blocks = new LineBlocks(chosen.input(), blockBytes, maxLine);
        long[] line = {0};
        OrderedWork<StderrLines.ParsedBlock> parsed = new OrderedWork<>(workers, LineBlocks.AHEAD, block -> {
            lines.block(block, line[0] + 1);
            line[0] += block.size;
            blocks.reuse(block.bytes);
        });
        try {
            for (LineBlocks.Block b = blocks.next(); b != null; b = blocks.next()) {
                LineBlocks.Block block = b;
                if (block.overlong()) {
                    parsed.add(StderrLines.ParsedBlock.overlong(block.bytes(), block.length(), block.offset(), maxLine));
                } else {
                    parsed.submit(() -> StderrLines.ParsedBlock.parse(block.bytes(), block.length(), block.offset(),
                            parsers.get(), maxLine));
                }
            }
            parsed.finish();
        } finally {
            parsed.cancel();
        }
        lines.finish();
        return line[0];
    }
}
