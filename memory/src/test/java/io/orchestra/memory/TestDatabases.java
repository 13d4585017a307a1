package io.orchestra.memory;

import io.orchestra.core.config.OrchestraConfig.DatabaseSettings;
import io.orchestra.core.storage.Database;
import io.orchestra.testkit.TestPgvector;
import io.orchestra.testkit.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.UUID;

/**
 * The databases the memory tests run on: a SQLite file, a fresh PostgreSQL database (the
 * machine's, or embedded), and a PostgreSQL with pgvector (PGlite over the wire, from
 * {@link TestPgvector}). Each place can be opened
 * several times, as several replicas of one deployment.
 */
public final class TestDatabases {
    private TestDatabases() {}

    /** One database that replicas open; close it to drop it. */
    public interface Place extends AutoCloseable {
        Database open();

        @Override
        void close();
    }

    public static Place create(String kind, Path dir) {
        return switch (kind) {
            case "sqlite" ->
                new Place() {
                    public Database open() {
                        return migrated(new DatabaseSettings(
                                "jdbc:sqlite:" + dir.resolve("memory.db"), Optional.empty(), Optional.empty(), 8));
                    }

                    public void close() {}
                };
            case "postgres" -> {
                TestPostgres.Fresh fresh = TestPostgres.freshDatabase();
                yield new Place() {
                    public Database open() {
                        return migrated(new DatabaseSettings(fresh.jdbcUrl(), Optional.empty(), Optional.empty(), 10));
                    }

                    public void close() {
                        fresh.close();
                    }
                };
            }
            case "pgvector" -> pgvector();
            default -> throw new IllegalArgumentException(kind);
        };
    }

    /** PGlite serves one database on one session: a schema per test, a pool of two (Flyway needs two), and no server-side prepared statements (their names would collide between connections). */
    private static Place pgvector() {
        String url = TestPgvector.url();
        java.net.URI uri = java.net.URI.create(url);
        String admin = "jdbc:postgresql://" + uri.getHost() + ":" + uri.getPort()
                + "/postgres?user=postgres&sslmode=disable&prepareThreshold=0";
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        // The session (and so search_path) is shared by every connection: set it here, for the pool's connections too.
        exec(
                admin,
                "CREATE EXTENSION IF NOT EXISTS vector SCHEMA public",
                "CREATE SCHEMA " + schema,
                "SET search_path TO " + schema + ", public");
        return new Place() {
            public Database open() {
                Database db = Database.open(
                        new DatabaseSettings(admin, Optional.empty(), Optional.empty(), 2), "memory-test");
                // PGlite runs one transaction at a time across its connections; Flyway's default lock is a
                // transaction on a second connection that the migration would wait behind forever.
                org.flywaydb.core.Flyway.configure()
                        .dataSource(db.dataSource())
                        .locations("classpath:db/migration")
                        .configuration(java.util.Map.of("flyway.postgresql.transactional.lock", "false"))
                        .load()
                        .migrate();
                return db;
            }

            public void close() {
                exec(admin, "DROP SCHEMA IF EXISTS " + schema + " CASCADE", "SET search_path TO public");
            }
        };
    }

    private static void exec(String jdbcUrl, String... statements) {
        try (Connection c = DriverManager.getConnection(jdbcUrl);
                Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare the pgvector database: " + e.getMessage(), e);
        }
    }

    private static Database migrated(DatabaseSettings settings) {
        Database db = Database.open(settings, "memory-test");
        db.migrate();
        return db;
    }
}
