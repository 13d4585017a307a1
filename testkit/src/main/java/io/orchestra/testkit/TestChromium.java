package io.orchestra.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The Chromium the browser tests drive: {@code CHROMIUM_PATH}, else one on PATH, else the one {@code bin/test-tools}
 * unpacked from npm (its path is written to {@code chromium/executable} under the test cache directory).
 */
public final class TestChromium {
    /** How to get a browser where there is none, for the skip message. */
    public static final String FIX = "run `make test` as root (installs Debian's chromium), or with npm on PATH "
            + "(bin/test-tools unpacks @sparticuz/chromium), or set CHROMIUM_PATH";

    private TestChromium() {}

    public static Optional<Path> executable() {
        String explicit = System.getenv("CHROMIUM_PATH");
        if (explicit != null && !explicit.isBlank()) {
            return Optional.of(Path.of(explicit)).filter(Files::isExecutable);
        }
        return Stream.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
                .map(TestProcesses::onPath)
                .flatMap(Optional::stream)
                .findFirst()
                .or(TestChromium::unpacked);
    }

    private static Optional<Path> unpacked() {
        Path pointer = TestProcesses.cacheDir().resolve("chromium").resolve("executable");
        try {
            return Files.isRegularFile(pointer)
                    ? Optional.of(Path.of(Files.readString(pointer).strip())).filter(Files::isExecutable)
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
