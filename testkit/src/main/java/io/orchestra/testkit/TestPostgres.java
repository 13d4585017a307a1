package io.orchestra.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A fresh PostgreSQL database per caller, so test runs never collide. Uses the server named by
 * {@code ORCHESTRA_TEST_PG_URL} (CI sets it to the machine's PostgreSQL); without it, starts one
 * embedded PostgreSQL for the whole JVM.
 */
public final class TestPostgres {
    private static EmbeddedPostgres embedded;

    private TestPostgres() {}

    /** A new, empty database; drop it with {@link Fresh#close()}. */
    public static synchronized Fresh freshDatabase() {
        String admin = adminJdbcUrl();
        String name = "orch_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = DriverManager.getConnection(admin);
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database on " + admin, e);
        }
        String base = admin.substring(0, admin.indexOf('/', "jdbc:postgresql://".length()) + 1);
        String query = admin.contains("?") ? admin.substring(admin.indexOf('?')) : "";
        return new Fresh(admin, name, base + name + query);
    }

    /** Where the tests' PostgreSQL comes from, for messages. */
    public static String source() {
        return System.getenv("ORCHESTRA_TEST_PG_URL") != null ? "ORCHESTRA_TEST_PG_URL" : "embedded PostgreSQL";
    }

    private static String adminJdbcUrl() {
        String configured = System.getenv("ORCHESTRA_TEST_PG_URL");
        if (configured != null && !configured.isBlank()) {
            return toJdbc(configured);
        }
        if (embedded == null) {
            try {
                embedded = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    embedded.close();
                } catch (IOException ignored) {
                    // the JVM is exiting
                }
            }));
        }
        return "jdbc:postgresql://localhost:" + embedded.getPort() + "/postgres?user=postgres";
    }

    static String toJdbc(String url) {
        if (url.startsWith("jdbc:")) {
            return url.contains("user=") ? url : url + (url.contains("?") ? "&" : "?") + "user=postgres";
        }
        URI uri = URI.create(url);
        String user = "?user="
                + (uri.getUserInfo() == null ? "postgres" : uri.getUserInfo().split(":")[0]);
        return "jdbc:postgresql://" + uri.getHost() + ":" + (uri.getPort() > 0 ? uri.getPort() : 5432)
                + (uri.getPath() == null || uri.getPath().isEmpty() ? "/postgres" : uri.getPath()) + user;
    }

    /** One throwaway database; {@link #jdbcUrl()} carries the user in its query. */
    public record Fresh(String adminUrl, String name, String jdbcUrl) implements AutoCloseable {
        @Override
        public void close() {
            try (Connection c = DriverManager.getConnection(adminUrl);
                    Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            } catch (SQLException e) {
                // a leftover test database is harmless; never fail a test on cleanup
            }
        }
    }
}
