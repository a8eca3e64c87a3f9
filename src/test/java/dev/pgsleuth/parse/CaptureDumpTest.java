package dev.pgsleuth.parse;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CaptureDumpTest {
    @Test
    void dump() throws Exception {
        RealLogCapture.Captured c = RealLogCapture.get();
        Files.copy(c.csvlog(), Path.of("/tmp/capture.csv"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(c.jsonlog(), Path.of("/tmp/capture.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
