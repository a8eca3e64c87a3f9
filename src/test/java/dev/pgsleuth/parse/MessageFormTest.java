package dev.pgsleuth.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.pgsleuth.model.StatementPhase;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MessageFormTest {
    private final MessageForm form = new MessageForm();

    private String text(String message) {
        byte[] b = ("xx" + message + "yy").getBytes(StandardCharsets.UTF_8);
        form.classify(message, b, 2, b.length - 2);
        return form.text;
    }

    @Test
    void readsAnExecuteLine() {
        form.classify("duration: 0.062 ms  execute S_1/C_2: SELECT 1");
        assertEquals(MessageForm.Kind.STATEMENT, form.kind);
        assertEquals(StatementPhase.EXECUTE, form.phase);
        assertEquals("S_1", form.preparedName);
        assertEquals(0.062, form.duration, 1e-12);
        assertEquals("SELECT 1", form.text);
        form.classify("duration: 1.5 ms");
        assertEquals(MessageForm.Kind.DURATION_ONLY, form.kind);
        assertNull(form.text);
    }

    @Test
    void aRepeatedTextIsTheSameStringAndADifferentOneIsNot() {
        // 40 characters: the slot samples every second one, so these two share a slot
        String a = "SELECT * FROM orders WHERE id = $1 AND x";
        String b = "SELECT * FROM orders WHERE id = $1 AND y".substring(0, 39) + "x";
        String c = a.substring(0, 1) + "Z" + a.substring(2);
        assertEquals(a.length(), c.length());
        String first = text("duration: 1.0 ms  execute <unnamed>: " + a);
        assertSame(first, text("duration: 2.0 ms  execute <unnamed>: " + a));
        assertEquals(a, first);
        assertEquals(b, text("duration: 2.0 ms  bind <unnamed>: " + b));
        String other = text("duration: 2.0 ms  statement: " + c);
        assertEquals(c, other);
        assertNotSame(first, other);
    }

    @Test
    void withoutTheMessagesBytesARepeatedTextIsTheSameStringAndADifferentOneIsNot() {
        // csvlog and jsonlog messages come as Strings: the texts are compared as characters
        String a = "SELECT * FROM orders WHERE id = $1 AND x";
        String c = a.substring(0, 1) + "Z" + a.substring(2);
        // 44 characters: the slot samples every second one from the first, not the tenth
        String g = "SELECT 'xΞ Ζορμπάς' FROM orders WHERE x = $1";
        String h = g.replace('Ξ', 'Ο');
        form.classify("duration: 1.0 ms  execute <unnamed>: " + a);
        String first = form.text;
        form.classify("duration: 2.0 ms  execute <unnamed>: " + a);
        assertSame(first, form.text);
        form.classify("duration: 2.0 ms  statement: " + c);
        assertEquals(c, form.text, "same length and slot, one character apart");
        form.classify("statement: " + g);
        assertEquals(g, form.text);
        form.classify("statement: " + h);
        String second = form.text;
        assertEquals(h, second, "beyond Latin-1: same length and slot, one character apart");
        form.classify("statement: " + h);
        assertSame(second, form.text);
    }

    @Test
    void nonAsciiTextsAreComparedAsText() {
        String sql = "SELECT 'Åsa Öberg', 'Ο Ζορμπάς' FROM t";
        String first = text("duration: 1.0 ms  statement: " + sql);
        assertEquals(sql, first);
        assertSame(first, text("duration: 3.0 ms  statement: " + sql));
        assertEquals("SELECT 'Åsa Öberg', 'Ο Ζορμπάζ' FROM t", text("duration: 3.0 ms  statement: SELECT 'Åsa Öberg', 'Ο Ζορμπάζ' FROM t"));
    }
}
