package io.orchestra.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The Redis for tests: the server named by {@code ORCHESTRA_TEST_REDIS_URL} when set; otherwise one real
 * Redis started for this JVM on a free port: {@code redis-server} from PATH, else the server binary that
 * the {@code embedded-redis} artifact carries. Never a skip for lack of Redis.
 */
public final class TestRedis {
    /** The embedded-redis artifact's binaries, by OS and architecture (Redis 6.2, enough for XRANGE exclusive). */
    private static final List<String[]> BUNDLED = List.of(
            new String[] {"linux", "amd64", "redis-server-6.2.6-v5-linux-amd64"},
            new String[] {"linux", "x86_64", "redis-server-6.2.6-v5-linux-amd64"},
            new String[] {"linux", "aarch64", "redis-server-6.2.7-linux-arm64"},
            new String[] {"mac", "x86_64", "redis-server-6.2.6-v5-darwin-amd64"},
            new String[] {"mac", "aarch64", "redis-server-6.2.6-v5-darwin-arm64"});

    private static String started;

    private TestRedis() {}

    /** A {@code redis://} URL of a running Redis; the same one for the whole JVM. */
    public static synchronized String url() {
        String configured = System.getenv("ORCHESTRA_TEST_REDIS_URL");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        if (started == null) {
            Path executable = TestProcesses.onPath("redis-server").orElseGet(TestRedis::bundledServer);
            int port = TestProcesses.freePort();
            TestProcesses.start(
                    "redis",
                    List.of(
                            executable.toString(),
                            "--port",
                            String.valueOf(port),
                            "--bind",
                            "127.0.0.1",
                            "--save",
                            "",
                            "--appendonly",
                            "no"),
                    null);
            TestProcesses.awaitPort("redis", port, 20_000);
            started = "redis://127.0.0.1:" + port;
        }
        return started;
    }

    /** Where the tests' Redis comes from, for messages. */
    public static String source() {
        return System.getenv("ORCHESTRA_TEST_REDIS_URL") != null
                ? "ORCHESTRA_TEST_REDIS_URL"
                : TestProcesses.onPath("redis-server").map(Path::toString).orElse("embedded-redis");
    }

    private static Path bundledServer() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String resource = BUNDLED.stream()
                .filter(b -> os.contains(b[0]) && arch.equals(b[1]))
                .map(b -> b[2])
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no redis-server on PATH and no bundled Redis for " + os
                        + "/" + arch + ": install Redis or set ORCHESTRA_TEST_REDIS_URL"));
        Path target = TestProcesses.cacheDir().resolve("redis").resolve(resource);
        try (InputStream in = Optional.ofNullable(TestRedis.class.getResourceAsStream("/" + resource))
                .orElseThrow(() -> new IllegalStateException("embedded-redis lacks " + resource))) {
            if (!Files.isExecutable(target)) {
                Files.createDirectories(target.getParent());
                Path partial = Files.createTempFile(target.getParent(), resource, ".part");
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
                partial.toFile().setExecutable(true);
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the bundled Redis to " + target, e);
        }
        return target;
    }
}
