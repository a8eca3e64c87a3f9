package dev.pgsleuth.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectionSettingsTest {

    @TempDir
    Path dir;

    private Path pgpass(String content, String perms) throws Exception {
        Path file = dir.resolve("pgpass");
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(perms));
        return file;
    }

    @Test
    void aPostgresUriGivesUrlAndPropertiesAndHidesThePassword() {
        ConnectionSettings s = ConnectionSettings.parse(
                "postgres://app:p%40ss%3Aword@db.internal:6432/shop?sslmode=require&connect_timeout=3&application_name=x",
                Map.of(), null, "root");
        assertEquals("jdbc:postgresql://db.internal:6432/shop", s.jdbcUrl());
        Properties p = s.properties();
        assertEquals("app", p.getProperty("user"));
        assertEquals("p@ss:word", p.getProperty("password"));
        assertEquals("require", p.getProperty("sslmode"));
        assertEquals("3", p.getProperty("connectTimeout"));
        assertNull(p.getProperty("application_name"), "pgsleuth always names itself");
        assertEquals("postgres://app@db.internal:6432/shop?sslmode=require (password: URI)", s.toString());
        assertFalse(s.toString().contains("p@ss"));
    }

    @Test
    void whatTheUriLeavesOutComesFromTheEnvironment() {
        ConnectionSettings s = ConnectionSettings.parse("postgresql://db.internal/shop",
                Map.of("PGUSER", "envuser", "PGPASSWORD", "envpw", "PGPORT", "5433", "PGSSLMODE", "verify-full"), null, "root");
        assertEquals("jdbc:postgresql://db.internal:5433/shop", s.jdbcUrl());
        assertEquals("envuser", s.user());
        assertEquals("envpw", s.properties().getProperty("password"));
        assertEquals("verify-full", s.properties().getProperty("sslmode"));
        assertEquals("PGPASSWORD", s.passwordSource());
    }

    @Test
    void envUsesLibpqVariablesAndDefaults() {
        ConnectionSettings s = ConnectionSettings.parse("env", Map.of(), null, "alice");
        assertEquals("jdbc:postgresql://localhost:5432/alice", s.jdbcUrl());
        assertEquals("alice", s.user());
        assertFalse(s.hasPassword());
        ConnectionSettings t = ConnectionSettings.parse("env",
                Map.of("PGHOST", "h1", "PGPORT", "7777", "PGUSER", "bob", "PGDATABASE", "sales"), null, "alice");
        assertEquals("jdbc:postgresql://h1:7777/sales", t.jdbcUrl());
        assertEquals("bob", t.user());
    }

    @Test
    void pgpassMatchesWithWildcardsAndEscapesAndTheFirstMatchWins() throws Exception {
        Path file = pgpass("""
                # comment line
                other:5432:sales:bob:wrong
                h1:*:sales:bob:first\\:pw\\\\x
                *:*:*:bob:second
                """, "rw-------");
        ConnectionSettings s = ConnectionSettings.parse("env",
                Map.of("PGHOST", "h1", "PGUSER", "bob", "PGDATABASE", "sales"), file, "alice");
        assertEquals("first:pw\\x", s.properties().getProperty("password"));
        assertEquals(file.toString(), s.passwordSource());
        ConnectionSettings other = ConnectionSettings.parse("postgres://bob@h2:5555/any", Map.of(), file, "alice");
        assertEquals("second", other.properties().getProperty("password"));
        ConnectionSettings viaVariable = ConnectionSettings.parse("postgres://bob@h2/any",
                Map.of("PGPASSFILE", file.toString()), dir.resolve("absent"), "alice");
        assertEquals("second", viaVariable.properties().getProperty("password"));
        assertFalse(s.toString().contains("first"));
    }

    @Test
    void aPgpassOthersCanReadIsIgnoredLikeLibpqDoes() throws Exception {
        Path file = pgpass("*:*:*:*:secret\n", "rw-r--r--");
        assertFalse(ConnectionSettings.parse("env", Map.of(), file, "alice").hasPassword());
    }

    @Test
    void aPasswordInTheUriBeatsPgpassAndPgpassword() throws Exception {
        Path file = pgpass("*:*:*:*:frompgpass\n", "rw-------");
        ConnectionSettings s = ConnectionSettings.parse("postgres://u:fromuri@h/d", Map.of("PGPASSWORD", "fromenv"), file, "x");
        assertEquals("fromuri", s.properties().getProperty("password"));
    }

    @Test
    void severalHostsAndIpv6() {
        ConnectionSettings s = ConnectionSettings.parse("postgres://u@h1:5432,h2:5433,[::1]:5434/d", Map.of(), null, "x");
        assertEquals("jdbc:postgresql://h1:5432,h2:5433,[::1]:5434/d", s.jdbcUrl());
    }

    @Test
    void aJdbcUrlIsUsedAsGivenAndItsPasswordParameterHidden() {
        ConnectionSettings s = ConnectionSettings.parse("jdbc:postgresql://h/d?user=u&password=topsecret", Map.of(), null, "x");
        assertEquals("jdbc:postgresql://h/d?user=u&password=topsecret", s.jdbcUrl());
        assertFalse(s.toString().contains("topsecret"), s.toString());
    }

    @Test
    void errorsNeverShowThePassword() {
        for (String bad : List.of("postgres://u:topsecret@h:notaport/d", "mysql://u:topsecret@h/d",
                "postgres://u:topsecret@h/d%zz")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ConnectionSettings.parse(bad, Map.of(), null, "x"));
            assertFalse(e.getMessage().contains("topsecret"), e.getMessage());
        }
        IllegalArgumentException socket = assertThrows(IllegalArgumentException.class,
                () -> ConnectionSettings.parse("env", Map.of("PGHOST", "/var/run/postgresql"), null, "x"));
        assertTrue(socket.getMessage().contains("socket"));
    }

    @Test
    void pgpassLinesSplitOnUnescapedColonsOnly() {
        assertEquals(List.of("h", "5432", "d", "u", "pa:ss"), PgPass.split("h:5432:d:u:pa:ss"));
        assertEquals(List.of("h:x", "*", "d", "u", "p"), PgPass.split("h\\:x:*:d:u:p"));
    }
}
