package dev.pgsleuth.explain;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * Where and as whom to connect, from the {@code --db} value: a JDBC URL
 * ({@code jdbc:postgresql://…}), a libpq URI ({@code postgres://user:pass@host:port/db?sslmode=…})
 * or the word {@code env} (libpq's {@code PGHOST}, {@code PGPORT}, {@code PGUSER},
 * {@code PGDATABASE}, {@code PGPASSWORD}, {@code PGSSLMODE}, {@code PGPASSFILE}).
 *
 * <p>As with libpq, what a URI leaves out comes from the environment, and a missing password is
 * looked up in {@code ~/.pgpass}. The password is kept only for {@link #properties()}:
 * {@link #toString()} and every exception message leave it out.
 */
public final class ConnectionSettings {

    private static final int DEFAULT_PORT = 5432;

    private final String jdbcUrl;
    private final String display;
    private final String user;
    private final String password;
    private final String passwordSource;
    private final Map<String, String> extra;

    private ConnectionSettings(String jdbcUrl, String display, String user, String password,
                               String passwordSource, Map<String, String> extra) {
        this.jdbcUrl = jdbcUrl;
        this.display = display;
        this.user = user;
        this.password = password;
        this.passwordSource = passwordSource;
        this.extra = extra;
    }

    /** Parses {@code --db} with the process environment and {@code ~/.pgpass}. */
    public static ConnectionSettings parse(String db) {
        return parse(db, System.getenv(), Path.of(System.getProperty("user.home"), ".pgpass"),
                System.getProperty("user.name"));
    }

    /**
     * Parses {@code --db}.
     *
     * @param db             a JDBC URL, a {@code postgres://} / {@code postgresql://} URI, or {@code env}
     * @param env            the environment ({@code PG*} variables)
     * @param defaultPgpass  the password file used when {@code PGPASSFILE} is not set
     * @param osUser         the user name libpq would default to
     * @throws IllegalArgumentException when the value is malformed (the message never shows a password)
     */
    public static ConnectionSettings parse(String db, Map<String, String> env, Path defaultPgpass, String osUser) {
        Objects.requireNonNull(db, "db");
        String trimmed = db.trim();
        if (trimmed.startsWith("jdbc:postgresql:")) {
            return fromJdbc(trimmed);
        }
        Parts parts = new Parts();
        if (trimmed.equalsIgnoreCase("env")) {
            parts.fillFromEnv(env);
        } else if (trimmed.startsWith("postgres://") || trimmed.startsWith("postgresql://")) {
            parseUri(trimmed, parts);
            parts.fillFromEnv(env);
        } else {
            throw new IllegalArgumentException("--db must be a jdbc:postgresql:// URL, a postgres:// URI or `env`, got `"
                    + maskUri(trimmed) + "`");
        }
        return parts.build(env, defaultPgpass, osUser);
    }

    private static ConnectionSettings fromJdbc(String url) {
        Map<String, String> none = Map.of();
        String shown = url.replaceAll("(?i)(password=)[^&]*", "$1***");
        return new ConnectionSettings(url, shown, null, null, url.equals(shown) ? "none" : "URL", none);
    }

    /** {@code postgres://[user[:password]@][host][:port][,host2[:port2]…][/db][?k=v&…]}. */
    private static void parseUri(String uri, Parts parts) {
        String rest = uri.substring(uri.indexOf("://") + 3);
        int q = rest.indexOf('?');
        String query = q >= 0 ? rest.substring(q + 1) : "";
        rest = q >= 0 ? rest.substring(0, q) : rest;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = rest.substring(0, at);
            rest = rest.substring(at + 1);
            int colon = userInfo.indexOf(':');
            parts.user = decode(colon >= 0 ? userInfo.substring(0, colon) : userInfo, uri);
            if (colon >= 0) {
                parts.password = decode(userInfo.substring(colon + 1), uri);
                parts.passwordSource = "URI";
            }
        }
        int slash = rest.indexOf('/');
        String hostPart = slash >= 0 ? rest.substring(0, slash) : rest;
        if (slash >= 0 && slash + 1 < rest.length()) {
            parts.database = decode(rest.substring(slash + 1), uri);
        }
        if (!hostPart.isEmpty()) {
            parts.hosts = hostPart;
        }
        for (String kv : query.split("&")) {
            if (kv.isEmpty()) {
                continue;
            }
            int eq = kv.indexOf('=');
            String key = decode(eq >= 0 ? kv.substring(0, eq) : kv, uri);
            String value = eq >= 0 ? decode(kv.substring(eq + 1), uri) : "";
            switch (key) {
                case "sslmode" -> parts.sslmode = value;
                case "user" -> parts.user = value;
                case "password" -> {
                    parts.password = value;
                    parts.passwordSource = "URI";
                }
                case "dbname" -> parts.database = value;
                case "host" -> parts.hosts = value;
                case "port" -> parts.port = value;
                case "connect_timeout" -> parts.extra.put("connectTimeout", value);
                case "application_name" -> {
                    // pgsleuth always identifies itself as pgsleuth, so that its statements can be recognized in the log
                }
                default -> parts.extra.put(key, value);
            }
        }
    }

    private static String decode(String s, String uri) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed percent-encoding in --db `" + maskUri(uri) + "`");
        }
    }

    /** A URI with the password between {@code :} and {@code @} (and any password parameter) replaced by ***. */
    static String maskUri(String uri) {
        String s = uri.replaceAll("(?i)(password=)[^&]*", "$1***");
        int scheme = s.indexOf("://");
        int at = s.lastIndexOf('@');
        if (scheme >= 0 && at > scheme) {
            int colon = s.indexOf(':', scheme + 3);
            if (colon >= 0 && colon < at) {
                s = s.substring(0, colon + 1) + "***" + s.substring(at);
            }
        }
        return s;
    }

    private static final class Parts {
        String hosts;
        String port;
        String database;
        String user;
        String password;
        String passwordSource = "none";
        String sslmode;
        final Map<String, String> extra = new LinkedHashMap<>();

        void fillFromEnv(Map<String, String> env) {
            if (hosts == null) {
                hosts = env.get("PGHOST");
            }
            if (port == null) {
                port = env.get("PGPORT");
            }
            if (database == null) {
                database = env.get("PGDATABASE");
            }
            if (user == null) {
                user = env.get("PGUSER");
            }
            if (password == null && env.get("PGPASSWORD") != null) {
                password = env.get("PGPASSWORD");
                passwordSource = "PGPASSWORD";
            }
            if (sslmode == null) {
                sslmode = env.get("PGSSLMODE");
            }
            if (!extra.containsKey("connectTimeout") && env.get("PGCONNECT_TIMEOUT") != null) {
                extra.put("connectTimeout", env.get("PGCONNECT_TIMEOUT"));
            }
        }

        ConnectionSettings build(Map<String, String> env, Path defaultPgpass, String osUser) {
            if (hosts == null || hosts.isEmpty()) {
                hosts = "localhost";
            }
            if (hosts.startsWith("/")) {
                throw new IllegalArgumentException("Unix-domain socket directory `" + hosts
                        + "` is not supported over JDBC; give a host name");
            }
            int defaultPort = DEFAULT_PORT;
            if (port != null && !port.isEmpty()) {
                try {
                    defaultPort = Integer.parseInt(port);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("port `" + port + "` is not a number");
                }
            }
            if (user == null || user.isEmpty()) {
                user = osUser;
            }
            if (database == null || database.isEmpty()) {
                database = user;
            }
            StringBuilder hostList = new StringBuilder();
            String firstHost = null;
            int firstPort = defaultPort;
            for (String h : hosts.split(",")) {
                String host = h.trim();
                int p = defaultPort;
                int close = host.lastIndexOf(']');
                int colon = host.lastIndexOf(':');
                if (colon > close && (host.startsWith("[") || host.indexOf(':') == colon)) {
                    try {
                        p = Integer.parseInt(host.substring(colon + 1));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("port in `" + host + "` is not a number");
                    }
                    host = host.substring(0, colon);
                }
                if (firstHost == null) {
                    firstHost = host;
                    firstPort = p;
                }
                if (hostList.length() > 0) {
                    hostList.append(',');
                }
                hostList.append(host).append(':').append(p);
            }
            if (password == null) {
                String passFile = env.get("PGPASSFILE");
                Path file = passFile != null ? Path.of(passFile) : defaultPgpass;
                String found = file == null ? null : PgPass.lookup(file, firstHost, firstPort, database, user);
                if (found != null) {
                    password = found;
                    passwordSource = file.toString();
                }
            }
            String url = "jdbc:postgresql://" + hostList + "/" + encodePath(database);
            if (sslmode != null && !sslmode.isEmpty()) {
                extra.put("sslmode", sslmode.toLowerCase(Locale.ROOT));
            }
            String display = "postgres://" + user + "@" + hostList + "/" + database
                    + (extra.containsKey("sslmode") ? "?sslmode=" + extra.get("sslmode") : "");
            return new ConnectionSettings(url, display, user, password, passwordSource, Map.copyOf(extra));
        }

        private static String encodePath(String db) {
            return db.replace("%", "%25").replace("/", "%2F").replace("?", "%3F");
        }
    }

    /** The JDBC URL, without credentials for a URI or {@code env} (those are in {@link #properties()}). */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** The user name, or {@code null} when a JDBC URL was given (the URL carries it). */
    public String user() {
        return user;
    }

    /** Where the password came from ({@code URI}, {@code PGPASSWORD}, the pgpass path, or {@code none}). */
    public String passwordSource() {
        return passwordSource;
    }

    /** True when a password was found. */
    public boolean hasPassword() {
        return password != null;
    }

    /** Driver properties: user, password, sslmode and the URI's other parameters. */
    public Properties properties() {
        Properties p = new Properties();
        p.putAll(extra);
        if (user != null) {
            p.setProperty("user", user);
        }
        if (password != null) {
            p.setProperty("password", password);
        }
        return p;
    }

    /** Hides this connection's password in a text such as a driver error message. */
    String redact(String text) {
        if (text == null || password == null || password.isEmpty()) {
            return text;
        }
        return text.replace(password, "***");
    }

    /** The connection target, never with a password. */
    @Override
    public String toString() {
        return display + " (password: " + passwordSource + ")";
    }
}
