package io.orchestra.server.doctor;

import io.orchestra.core.config.ConfigException;
import io.orchestra.core.config.ConfigLoader;
import io.orchestra.core.config.OrchestraConfig;
import io.orchestra.core.storage.Database;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.Jedis;

/** Checks the environment for the chosen profile; each check says how to fix what fails. */
public final class Doctor {
    /** A warning says what to change but fails nothing (a JDK other than the pinned one that still runs). */
    public enum Status {
        PASS,
        WARN,
        FAIL
    }

    /** One line of the doctor's table. */
    public record Check(String name, Status status, String detail, String fix) {
        public Check(String name, boolean ok, String detail, String fix) {
            this(name, ok ? Status.PASS : Status.FAIL, detail, fix);
        }

        public boolean ok() {
            return status != Status.FAIL;
        }
    }

    private static final long MIN_FREE_BYTES = 1024L * 1024 * 1024;

    private final ConfigLoader loader;

    public Doctor(ConfigLoader loader) {
        this.loader = loader;
    }

    public List<Check> run() {
        List<Check> checks = new ArrayList<>();
        Pins pins = Pins.bundled();
        checks.add(Toolchain.jdk(
                pins, Runtime.version().feature(), Runtime.version().toString()));
        if (Files.isRegularFile(Path.of("bin", "test-tools"))) {
            // In a source checkout: the test build needs Node.js as well.
            checks.add(Toolchain.node(pins, Toolchain.nodeVersion()));
        }
        OrchestraConfig config;
        try {
            config = loader.load();
            checks.add(new Check("config valid", true, "profile " + config.env().wire(), ""));
        } catch (ConfigException e) {
            checks.add(new Check(
                    "config valid",
                    false,
                    String.join("; ", e.problems()),
                    "fix the listed settings in orchestra.yaml, .env or ORCHESTRA_* variables"));
            return checks;
        }
        checks.add(portFree(config));
        checks.add(dataDirWritable(config.dataDir()));
        checks.add(database(config));
        checks.add(vectorEngine(config));
        config.redisUrl().ifPresent(url -> checks.add(redis(url)));
        checks.add(disk(config.dataDir()));
        return checks;
    }

    private static Check portFree(OrchestraConfig config) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(config.host(), config.port()));
            return new Check("port free", true, config.host() + ":" + config.port(), "");
        } catch (IOException e) {
            return new Check(
                    "port free",
                    false,
                    config.host() + ":" + config.port() + " is in use",
                    "stop the process on that port or set ORCHESTRA_PORT / PORT");
        }
    }

    private static Check dataDirWritable(Path dir) {
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".doctor", ".tmp");
            Files.delete(probe);
            return new Check("data dir writable", true, dir.toAbsolutePath().toString(), "");
        } catch (IOException | RuntimeException e) {
            return new Check(
                    "data dir writable",
                    false,
                    dir.toAbsolutePath() + ": " + e.getClass().getSimpleName(),
                    "make the directory writable or set ORCHESTRA_DATA_DIR");
        }
    }

    /** Whether the configured database answers (and is migrated); shared with `orchestra config check`. */
    public static Check database(OrchestraConfig config) {
        return database(config, true);
    }

    /** As {@link #database(OrchestraConfig)}; before a rollout pending migrations are expected, so they may pass. */
    public static Check database(OrchestraConfig config, boolean requireMigrated) {
        try (Database db = Database.open(config.database(), "orchestra-doctor", java.time.Duration.ofSeconds(3))) {
            long nanos = db.ping();
            boolean migrated = db.isMigrated();
            String detail = db.kind().wire() + " " + db.displayUrl() + ", " + (nanos / 1_000_000.0) + " ms"
                    + (migrated ? ", migrated" : ", migrations pending");
            return new Check(
                    requireMigrated ? "database reachable and migrated" : "database reachable",
                    migrated || !requireMigrated,
                    detail,
                    migrated ? "" : "run 'orchestra migrate' (serve also migrates on start)");
        } catch (Exception e) {
            return new Check(
                    "database reachable and migrated",
                    false,
                    config.database().displayUrl() + ": " + rootMessage(e),
                    "check ORCHESTRA_DB_URL, credentials, and that the server is running");
        }
    }

    /** Which vector engine the server will use (orchestra.memory.vector-engine on this database). */
    public static Check vectorEngine(OrchestraConfig config) {
        var wanted = config.memory().vectorEngine();
        String mode = wanted.wire();
        try (Database db = Database.open(config.database(), "orchestra-doctor", java.time.Duration.ofSeconds(3))) {
            String engine = io.orchestra.memory.index.VectorSearch.choose(db, wanted);
            return new Check(
                    "vector engine",
                    true,
                    engine
                            + (engine.equals("pgvector")
                                    ? " (HNSW in PostgreSQL)"
                                    : " (jvector HNSW, follows vector_changes)")
                            + ", orchestra.memory.vector-engine=" + mode,
                    "");
        } catch (ConfigException e) {
            return new Check(
                    "vector engine",
                    false,
                    String.join("; ", e.problems()),
                    "install pgvector on the PostgreSQL server, or set orchestra.memory.vector-engine to auto or in-process");
        } catch (Exception e) {
            return new Check(
                    "vector engine", false, "cannot ask the database: " + rootMessage(e), "see the database check");
        }
    }

    /** Whether the Redis at {@code url} answers; shared with `orchestra config check`. */
    public static Check redis(String url) {
        try (Jedis jedis = new Jedis(URI.create(url), 3000)) {
            String pong = jedis.ping();
            return new Check("redis reachable", "PONG".equals(pong), io.orchestra.core.config.Secrets.maskUrl(url), "");
        } catch (RuntimeException e) {
            return new Check(
                    "redis reachable",
                    false,
                    io.orchestra.core.config.Secrets.maskUrl(url) + ": "
                            + e.getClass().getSimpleName(),
                    "start Redis or fix ORCHESTRA_REDIS_URL (unset it to run without Redis on one node)");
        }
    }

    private static Check disk(Path dir) {
        try {
            Files.createDirectories(dir);
            long free = Files.getFileStore(dir).getUsableSpace();
            return new Check(
                    "disk space",
                    free >= MIN_FREE_BYTES,
                    (free / (1024 * 1024)) + " MiB free",
                    "free at least 1 GiB on the data directory's disk");
        } catch (IOException e) {
            return new Check("disk space", false, e.getClass().getSimpleName(), "check the data directory");
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return io.orchestra.core.config.Secrets.maskUrl(root.getClass().getSimpleName() + ": " + root.getMessage());
    }

    /** Formats the checks as a table. */
    public static String table(List<Check> checks) {
        int width = checks.stream().mapToInt(c -> c.name().length()).max().orElse(10);
        StringBuilder out = new StringBuilder();
        for (Check check : checks) {
            out.append("[" + check.status() + "] ")
                    .append(String.format("%-" + width + "s", check.name()))
                    .append("  ")
                    .append(check.detail())
                    .append('\n');
            if (check.status() != Status.PASS && !check.fix().isEmpty()) {
                out.append("       ")
                        .append(" ".repeat(width))
                        .append("  fix: ")
                        .append(check.fix())
                        .append('\n');
            }
        }
        return out.toString();
    }
}
