package io.orchestra.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Helper processes the tests start themselves (Redis, PGlite): found, started on free ports, stopped with the JVM. */
final class TestProcesses {
    private TestProcesses() {}

    /**
     * Where the test tools live outside the repository: {@code ORCHESTRA_TEST_CACHE}, else
     * {@code $XDG_CACHE_HOME/orchestra-test}, else {@code ~/.cache/orchestra-test}. {@code bin/test-tools}
     * resolves the same directory.
     */
    static Path cacheDir() {
        String explicit = System.getenv("ORCHESTRA_TEST_CACHE");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("orchestra-test");
    }

    static Optional<Path> onPath(String tool) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(dir -> !dir.isBlank())
                .map(dir -> Path.of(dir, tool))
                .filter(Files::isExecutable)
                .findFirst();
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts {@code command}, its output in a log file under the cache directory, destroyed when the JVM exits. */
    static Process start(String name, List<String> command, Path workDir) {
        try {
            Path logs = Files.createDirectories(cacheDir().resolve("logs"));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(
                            logs.resolve(name + "-" + ProcessHandle.current().pid() + ".log")
                                    .toFile());
            if (workDir != null) {
                builder.directory(workDir.toFile());
            }
            Process process = builder.start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + command, e);
        }
    }

    /** Waits until something accepts connections on {@code port} of 127.0.0.1. */
    static void awaitPort(String name, int port, long timeoutMillis) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
        throw new IllegalStateException(name + " did not listen on port " + port + " within " + timeoutMillis
                + " ms (log under " + cacheDir().resolve("logs") + ")");
    }
}
