package dev.pgsleuth.model;

import dev.pgsleuth.cli.Main;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Breaks the layout rules on purpose, so that {@code ArchitectureTest} can show its rules catch
 * what they forbid. Never called.
 */
final class ArchitectureViolation {
    private ArchitectureViolation() {
    }

    static void everythingAModelRecordMustNotDo(Connection c) throws SQLException {
        System.out.println(Main.class.getName() + c.getSchema());
        System.exit(1);
    }
}
