package io.orchestra.core.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.orchestra.core.config.OrchestraConfig.DatabaseSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.jdbi.v3.core.Jdbi;

/**
 * The connection pool, the migrations and the JDBI handle for one database, SQLite or PostgreSQL.
 * Every module's Flyway scripts live under {@code db/migration} with its own version range
 * (V1-V9 core, V10-V19 gateway, V20-V29 memory, V30-V39 agents) so one migration run covers all.
 */
public final class Database implements AutoCloseable {
    private final DatabaseKind kind;
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final String displayUrl;
    private volatile boolean migrated;

    private Database(DatabaseKind kind, HikariDataSource dataSource, String displayUrl) {
        this.kind = kind;
        this.dataSource = dataSource;
        this.displayUrl = displayUrl;
        this.jdbi = Jdbi.create(dataSource);
        if (kind == DatabaseKind.SQLITE) {
            new SqliteWriteGate().install(jdbi);
        }
    }

    /** Opens the pool (no connection is made until first use). */
    public static Database open(DatabaseSettings settings, String poolName) {
        return open(settings, poolName, Duration.ofSeconds(10));
    }

    /** As {@link #open(DatabaseSettings, String)}, waiting at most {@code connectTimeout} for a connection. */
    public static Database open(DatabaseSettings settings, String poolName, Duration connectTimeout) {
        JdbiEvents.prepareInBackground();
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName(poolName);
        hikari.setJdbcUrl(settings.jdbcUrl());
        settings.user().ifPresent(hikari::setUsername);
        settings.password().ifPresent(hikari::setPassword);
        hikari.setConnectionTimeout(connectTimeout.toMillis());
        hikari.setInitializationFailTimeout(-1);
        DatabaseKind kind;
        if (settings.isSqlite()) {
            kind = DatabaseKind.SQLITE;
            createParentDirectory(settings.jdbcUrl().substring("jdbc:sqlite:".length()))
                    .ifPresent(dir -> SqliteLibrary.useUnpackedIn(dir.resolve("sqlite-jdbc")));
            // WAL lets readers run beside the single writer; IMMEDIATE transactions take the write
            // lock up front so concurrent writers queue on busy_timeout instead of failing.
            hikari.addDataSourceProperty("journal_mode", "WAL");
            hikari.addDataSourceProperty("synchronous", "NORMAL");
            hikari.addDataSourceProperty("busy_timeout", "30000");
            hikari.addDataSourceProperty("foreign_keys", "true");
            hikari.addDataSourceProperty("transaction_mode", "IMMEDIATE");
            // Nothing reads generated keys; left on, the driver runs a regex over every statement's
            // SQL and an extra SELECT last_insert_rowid() after each INSERT (15% of a search's CPU).
            hikari.addDataSourceProperty("jdbc.get_generated_keys", "false");
            hikari.setMaximumPoolSize(Math.min(settings.poolSize(), 8));
            // Opened when needed (a few milliseconds each), not all eight at start beside the server's own set-up.
            hikari.setMinimumIdle(2);
        } else if (settings.isPostgres()) {
            kind = DatabaseKind.POSTGRES;
            hikari.setDriverClassName("org.postgresql.Driver");
            hikari.setMaximumPoolSize(settings.poolSize());
        } else {
            throw new IllegalArgumentException("unsupported database URL " + settings.displayUrl());
        }
        return new Database(kind, new HikariDataSource(hikari), settings.displayUrl());
    }

    /** The database file's directory, created if missing; empty for an in-memory or {@code file:} URL. */
    private static Optional<Path> createParentDirectory(String file) {
        if (file.isEmpty() || file.startsWith(":memory:") || file.startsWith("file:")) {
            return Optional.empty();
        }
        Path parent = Path.of(file).toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
            return Optional.of(parent);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the database directory " + parent, e);
        }
    }

    /** Applies pending migrations; idempotent. Returns how many were applied. */
    public int migrate() {
        MigrateResult result = flyway().migrate();
        migrated = true;
        return result.migrationsExecuted;
    }

    /**
     * As {@link #migrate()}, but when exactly {@code versions} are recorded as applied and succeeded, one query
     * replaces Flyway's classpath scan and validation (most of a restart's cost). A set, not the newest version:
     * modules number their migrations in their own ranges, so a new migration can sort below the newest one.
     * Returns how many were applied.
     */
    public int migrateUnlessApplied(Set<String> versions) {
        if (versions.equals(appliedVersions())) {
            migrated = true;
            return 0;
        }
        return migrate();
    }

    /** The versions recorded as applied; empty on a new database, null when any recorded migration failed. */
    private Set<String> appliedVersions() {
        Set<String> applied = new HashSet<>();
        try (Connection connection = dataSource.getConnection();
                var statement = connection.prepareStatement(
                        "SELECT version, success FROM flyway_schema_history WHERE version IS NOT NULL");
                var rows = statement.executeQuery()) {
            while (rows.next()) {
                if (!rows.getBoolean(2)) {
                    return null;
                }
                applied.add(rows.getString(1));
            }
            return applied;
        } catch (SQLException noHistoryYet) {
            return Set.of();
        }
    }

    /** Whether every known migration has been applied (checked against the database, not memory). */
    public boolean isMigrated() {
        return flyway().info().pending().length == 0;
    }

    /** Whether this process ran the migrations (readiness gate). */
    public boolean migratedByThisProcess() {
        return migrated;
    }

    private Flyway flyway() {
        return Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                // Each module numbers within its own range, so a module's new migration may sort below another's.
                .outOfOrder(true)
                .loggers("slf4j")
                .load();
    }

    /** Round trip to the database; returns the latency in nanoseconds or throws. */
    public long ping() throws SQLException {
        long start = System.nanoTime();
        try (Connection connection = dataSource.getConnection();
                var statement = connection.createStatement()) {
            statement.execute("SELECT 1");
        }
        return System.nanoTime() - start;
    }

    public DatabaseKind kind() {
        return kind;
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public HikariDataSource pool() {
        return dataSource;
    }

    /** The JDBC URL with any password masked. */
    public String displayUrl() {
        return displayUrl;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
