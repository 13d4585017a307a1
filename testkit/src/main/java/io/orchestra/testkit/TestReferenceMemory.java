package io.orchestra.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The reference MCP memory server ({@code @modelcontextprotocol/server-memory}, the version pinned as
 * {@code memory.reference} in {@code deploy/versions.properties}), for tests that compare Orchestra
 * with it. Found where {@code bin/test-tools} installs it under the test cache directory; when it is
 * missing and npm is on the PATH, installed there now (so a machine with npm never skips). Without
 * Node.js the test is skipped with the fix.
 */
public final class TestReferenceMemory {
    private static final String PACKAGE = "@modelcontextprotocol/server-memory";

    private TestReferenceMemory() {}

    /** The pinned version. */
    public static String version() {
        Path pins = repositoryRoot().resolve("deploy/versions.properties");
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(pins)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("memory.reference").strip();
    }

    /**
     * The command that starts the reference server on stdio; it keeps its graph in the file named
     * by the environment variable {@code MEMORY_FILE_PATH}.
     */
    public static synchronized List<String> command() {
        Path home = TestProcesses.cacheDir().resolve("server-memory");
        Path script = home.resolve("node_modules/@modelcontextprotocol/server-memory/dist/index.js");
        String wanted = PACKAGE + "@" + version();
        Path node = TestProcesses.onPath("node").orElse(null);
        if (!installed(home, wanted)) {
            install(home, wanted);
        }
        if (node == null || !installed(home, wanted) || !Files.isRegularFile(script)) {
            String reason = "the side-by-side test needs Node.js and npm for " + wanted + " (`bin/test-tools`)";
            System.err.println("SKIPPED: " + reason);
            Assumptions.abort(reason);
        }
        return List.of(node.toString(), script.toString());
    }

    private static boolean installed(Path home, String wanted) {
        try {
            return wanted.equals(Files.readString(home.resolve(".installed")).strip());
        } catch (IOException e) {
            return false;
        }
    }

    /** As bin/test-tools does it: npm into the cache directory, recorded in .installed. */
    private static void install(Path home, String wanted) {
        Path npm = TestProcesses.onPath("npm").orElse(null);
        if (npm == null) {
            return;
        }
        try {
            Files.createDirectories(home);
            if (!Files.exists(home.resolve("package.json"))) {
                Files.writeString(home.resolve("package.json"), "{\"private\":true}\n");
            }
            Process process = new ProcessBuilder(List.of(
                            npm.toString(),
                            "install",
                            "--prefix",
                            home.toString(),
                            "--no-audit",
                            "--no-fund",
                            "--silent",
                            wanted))
                    .redirectErrorStream(true)
                    .redirectOutput(home.resolve("npm.log").toFile())
                    .start();
            if (process.waitFor(300, TimeUnit.SECONDS) && process.exitValue() == 0) {
                Files.writeString(home.resolve(".installed"), wanted + "\n");
            } else {
                process.destroy();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install " + wanted, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The checkout: the first directory upwards from the working directory that holds deploy/versions.properties. */
    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("deploy/versions.properties"))) {
                return dir;
            }
        }
        throw new IllegalStateException(
                "no deploy/versions.properties above " + Path.of("").toAbsolutePath());
    }
}
