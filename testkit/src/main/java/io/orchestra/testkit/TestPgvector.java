package io.orchestra.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * A PostgreSQL with pgvector and pg_trgm for the pgvector engine's tests: {@code ORCHESTRA_TEST_PGVECTOR_URL}
 * when set; otherwise PGlite (PostgreSQL in WebAssembly, with the extensions) served over the wire protocol
 * by pglite-socket, started for this JVM on a free port from the copy {@code bin/test-tools} installs with
 * npm under the test cache directory. Without that copy (Node.js missing), the tests are skipped with the
 * command that fixes it.
 */
public final class TestPgvector {
    private static String started;

    private TestPgvector() {}

    /** A {@code postgresql://} URL; PGlite serves one database on one shared session. */
    public static synchronized String url() {
        String configured = System.getenv("ORCHESTRA_TEST_PGVECTOR_URL");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        if (started == null) {
            Path home = TestProcesses.cacheDir().resolve("pglite");
            Path server = home.resolve("node_modules/@electric-sql/pglite-socket/dist/scripts/server.js");
            Path node = TestProcesses.onPath("node").orElse(null);
            if (node == null || !Files.isRegularFile(server)) {
                String reason = "pgvector tests need PGlite (Node.js 20+ and `bin/test-tools`, which `make test` runs)";
                System.err.println("SKIPPED: " + reason);
                Assumptions.abort(reason);
            }
            int port = TestProcesses.freePort();
            // Its connections share one session; the tests use at most two at a time (Flyway needs two).
            TestProcesses.start(
                    "pglite",
                    List.of(
                            node.toString(),
                            server.toString(),
                            "--host=127.0.0.1",
                            "--port=" + port,
                            "--max-connections=4",
                            "--extensions=@electric-sql/pglite-pgvector:vector,pg_trgm"),
                    home);
            TestProcesses.awaitPort("PGlite", port, 60_000);
            started = "postgresql://postgres@127.0.0.1:" + port + "/postgres";
        }
        return started;
    }
}
