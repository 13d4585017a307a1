package io.orchestra.server.doctor;

import io.orchestra.server.doctor.Doctor.Check;
import io.orchestra.server.doctor.Doctor.Status;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The local toolchain against the pinned versions: the JDK that runs this, and Node.js for the test build. */
public final class Toolchain {
    private Toolchain() {}

    public static Check jdk(Pins pins, int feature, String version) {
        if (feature < pins.javaRelease()) {
            return new Check(
                    "JDK version",
                    Status.FAIL,
                    "Java " + version + "; Orchestra needs " + pins.javaRelease() + " or newer",
                    "install Temurin " + pins.jdk() + " and set JAVA_HOME");
        }
        if (feature != pins.jdk()) {
            return new Check(
                    "JDK version",
                    Status.WARN,
                    "Java " + version + "; the build, tests and images use " + pins.jdk(),
                    "install Temurin " + pins.jdk() + " (deploy/versions.properties) to match them");
        }
        return new Check("JDK version", Status.PASS, "Java " + version, "");
    }

    /** {@code nodeVersion} as {@code node --version} prints it ({@code v20.20.2}), empty when there is no node. */
    public static Check node(Pins pins, Optional<String> nodeVersion) {
        String fix = "install Node.js " + pins.node() + "+ with npm (the pgvector and browser tests use it)";
        if (nodeVersion.isEmpty()) {
            return new Check("Node.js (tests)", Status.WARN, "not found", fix);
        }
        String version = nodeVersion.get().strip();
        int major;
        try {
            major = Integer.parseInt(version.replaceFirst("^v", "").split("\\.")[0]);
        } catch (NumberFormatException e) {
            return new Check("Node.js (tests)", Status.WARN, "unreadable version " + version, fix);
        }
        return major >= pins.node()
                ? new Check("Node.js (tests)", Status.PASS, "Node " + version, "")
                : new Check(
                        "Node.js (tests)",
                        Status.WARN,
                        "Node " + version + "; the tests need " + pins.node() + "+",
                        fix);
    }

    /** What {@code node --version} prints, if a node runs within two seconds. */
    public static Optional<String> nodeVersion() {
        try {
            Process process = new ProcessBuilder("node", "--version")
                    .redirectErrorStream(true)
                    .start();
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Optional.empty();
            }
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return process.exitValue() == 0 ? Optional.of(out.strip()) : Optional.empty();
        } catch (java.io.IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
