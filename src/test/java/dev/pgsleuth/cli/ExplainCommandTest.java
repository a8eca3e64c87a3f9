package dev.pgsleuth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgsleuth.explain.ShopDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ExplainCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(Object command, String... args) {
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    private static String db() {
        return "postgres://postgres@localhost:" + ShopDatabase.server().getPort() + "/postgres";
    }

    @Test
    void printsThePlanTreeWithFindingsOnTheirNodes() {
        int code = run(new ExplainCommand(), "--db", db(), "--param", "c42@example.com",
                "SELECT * FROM orders WHERE customer_email = $1");
        assertEquals(0, code, err.toString());
        String text = out.toString();
        assertTrue(text.startsWith("Execution "), text);
        assertTrue(text.contains("-> Seq Scan on orders  rows 6 (est."), text);
        assertTrue(text.contains("Filter: (orders.customer_email = 'c42@example.com'::text)"), text);
        assertTrue(text.contains("Rows removed by filter: 299,994"), text);
        int finding = text.indexOf("[!] seq-scan-selective-filter (high)");
        assertTrue(finding > text.indexOf("Seq Scan on orders"), text);
        assertTrue(text.contains("CREATE INDEX CONCURRENTLY orders_customer_email_idx ON orders (customer_email);"), text);
    }

    @Test
    void aRefusedStatementExitsWith6AndSaysWhy() {
        assertEquals(6, run(new ExplainCommand(), "--db", db(), "DELETE FROM orders"));
        assertTrue(err.toString().contains("only SELECT statements are explained"), err.toString());
        assertEquals("", out.toString());
    }

    @Test
    void anUnreachableDatabaseExitsWith5WithoutShowingThePassword() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        assertEquals(5, run(new ExplainCommand(), "--db", "postgres://u:hunter2@127.0.0.1:" + port + "/d", "SELECT 1"));
        assertTrue(err.toString().contains("cannot reach"), err.toString());
        assertFalse(err.toString().contains("hunter2"), err.toString());
    }

    @Test
    void usageErrorsExitWith2() {
        assertEquals(2, run(new ExplainCommand(), "SELECT 1"));
        assertEquals(2, run(new ExplainCommand(), "--db", "mysql://x", "SELECT 1"));
        assertEquals(2, run(new ExplainCommand(), "--db", "env", "--statement-timeout", "soon", "SELECT 1"));
    }

    @Test
    void aStatementOverTheTimeoutExitsWith1() {
        assertEquals(1, run(new ExplainCommand(), "--db", db(), "--statement-timeout", "200ms",
                "SELECT count(*) FROM orders a CROSS JOIN order_items b WHERE a.total + b.qty > 0"));
        assertTrue(err.toString().contains("statement_timeout"), err.toString());
    }

    @Test
    void helpDocumentsTheExitCodes() {
        assertEquals(0, run(new ExplainCommand(), "--help"));
        String help = out.toString();
        for (String line : new String[] {"Exit codes:", "0 ", "2 ", "5 ", "6 "}) {
            assertTrue(help.contains(line), help);
        }
        assertTrue(help.contains("could not be reached") && help.contains("refused"), help);
    }

    @Test
    void rulesListsTheCatalogWithThresholds() {
        assertEquals(0, run(new RulesCommand()));
        String text = out.toString();
        assertTrue(text.contains("seq-scan-selective-filter  [index, high]"), text);
        assertTrue(text.contains("min-rows-removed"), text);
        assertTrue(text.contains("10000"), text);
        assertTrue(text.contains("heavy-in-app  [heavy-in-app, medium]"), text);
        assertEquals(11, text.split("\n\n").length, text);
    }
}
