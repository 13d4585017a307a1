package io.orchestra.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.orchestra.core.config.ConfigLoader;
import io.orchestra.core.config.OrchestraConfig;
import io.orchestra.core.json.Json;
import io.orchestra.testkit.TestPostgres;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A start that fails halfway leaves nothing running: the database pool (its connections and
 * threads), the outbound HTTP client's threads and the watcher and writer threads are all closed.
 */
class ConstructionFailureTest {
    /** Threads each start opens, by name (virtual ones included): none may outlive a failed start. */
    static final List<String> OPENED = List.of(
            "orchestra-db:", // HikariCP's housekeeper and connection adder
            "orchestra-http-client",
            "persona-files",
            "gateway-config",
            "usage-recorder",
            "memory-index",
            "job-workers",
            "JettyServerThreadPool");

    /** How many live threads, platform and virtual, have a name starting with each prefix. */
    static Map<String, Integer> threads() throws IOException {
        Path file = Files.createTempDirectory("threads").resolve("dump.json");
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                .dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
        JsonNode dump = Json.tree(Files.readString(file));
        Map<String, Integer> counts = new HashMap<>();
        OPENED.forEach(name -> counts.put(name, 0));
        for (JsonNode container : dump.path("threadDump").path("threadContainers")) {
            for (JsonNode thread : container.path("threads")) {
                String name = thread.path("name").asString("");
                for (String prefix : OPENED) {
                    if (name.startsWith(prefix)) {
                        counts.merge(prefix, 1, Integer::sum);
                    }
                }
            }
        }
        return counts;
    }

    static Map<String, String> overrides(Path dataDir) throws IOException {
        Path personas = Files.createDirectories(dataDir.resolve("personas"));
        Files.copy(Path.of("..", "personas", "cherry.yaml"), personas.resolve("cherry.yaml"));
        Map<String, String> overrides = new HashMap<>();
        overrides.put("orchestra.port", "0");
        overrides.put("orchestra.host", "127.0.0.1");
        overrides.put("orchestra.data-dir", dataDir.toString());
        overrides.put("orchestra.admin-key", TestServer.ADMIN_KEY);
        overrides.put("orchestra.personas.dir", personas.toString());
        overrides.put("orchestra.shutdown.grace-seconds", "1");
        return overrides;
    }

    static OrchestraConfig config(Path dataDir, Map<String, String> overrides) {
        return new ConfigLoader(dataDir, Map.of(), overrides).load();
    }

    /** Waits (closing is synchronous, but a PostgreSQL backend and a thread take a moment to go). */
    static void eventually(ThrowingCheck check) throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            try {
                check.run();
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    interface ThrowingCheck {
        void run() throws Exception;
    }

    static int connections(String jdbcUrl) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl);
                ResultSet rs = c.createStatement()
                        .executeQuery("SELECT count(*) FROM pg_stat_activity"
                                + " WHERE datname = current_database() AND pid <> pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void aConstructionThatFailsAtItsLastStepClosesThePoolTheClientAndTheThreads() throws Exception {
        Path dataDir = Files.createTempDirectory("orchestra-fail");
        // The HTTP server, built last, needs <data-dir>/tmp for uploads: a file in its place fails it.
        Files.writeString(dataDir.resolve("tmp"), "not a directory");
        try (TestPostgres.Fresh postgres = TestPostgres.freshDatabase()) {
            Map<String, String> overrides = overrides(dataDir);
            overrides.put("orchestra.db.url", postgres.jdbcUrl());
            Map<String, Integer> before = threads();

            assertThatThrownBy(() -> Orchestra.start(config(dataDir, overrides)))
                    .hasMessageContaining("cannot create")
                    .hasMessageContaining("tmp");

            eventually(() -> assertThat(connections(postgres.jdbcUrl()))
                    .as("connections left open to the database")
                    .isZero());
            eventually(() -> assertThat(threads()).as("threads left running").isEqualTo(before));
        }
    }

    @Test
    void aStartThatCannotListenClosesEverythingItBuilt() throws Exception {
        Path dataDir = Files.createTempDirectory("orchestra-fail");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Map<String, String> overrides = overrides(dataDir);
            overrides.put("orchestra.port", String.valueOf(taken.getLocalPort()));
            Map<String, Integer> before = threads();

            assertThatThrownBy(() -> Orchestra.start(config(dataDir, overrides)))
                    .isInstanceOf(RuntimeException.class);

            eventually(() -> assertThat(threads()).as("threads left running").isEqualTo(before));
        }
    }

    @Test
    void aRunningServerHasTheseThreadsAndCloseEndsThem() throws Exception {
        Path dataDir = Files.createTempDirectory("orchestra-ok");
        Map<String, Integer> before = threads();
        Orchestra orchestra = Orchestra.start(config(dataDir, overrides(dataDir)));
        Map<String, Integer> running = threads();
        orchestra.close();
        for (String name : OPENED) {
            assertThat(running.get(name)).as(name).isGreaterThan(before.get(name));
        }
        eventually(() -> assertThat(threads()).isEqualTo(before));
    }
}
