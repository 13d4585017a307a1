package io.orchestra.infra;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The repository's deploy files that the program reads, so that one source drives every deploy path:
 * deploy/versions.properties (environment facts), deploy/cloudrun/service-&lt;env&gt;.yaml (the Cloud Run settings),
 * deploy/prometheus/alerts.yml (alert thresholds) and deploy/config/&lt;env&gt;.yaml (what the server reads).
 */
record DeployFiles(Path root) {
    static final Path PINS = Path.of("deploy", "versions.properties");

    /** The checkout that holds {@code start}: `pulumi up` and the tests both run in infra/. */
    static DeployFiles find(Path start) {
        for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(PINS))) {
                return new DeployFiles(dir);
            }
        }
        throw new IllegalStateException("no " + PINS + " in " + start.toAbsolutePath() + " or above it: run the"
                + " program from the repository's infra/ directory");
    }

    Properties pins() {
        try (Reader in = Files.newBufferedReader(root.resolve(PINS))) {
            Properties pins = new Properties();
            pins.load(in);
            return pins;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path cloudRunService(String env) {
        return root.resolve("deploy/cloudrun/service-" + env + ".yaml");
    }

    Path alertRules() {
        return root.resolve("deploy/prometheus/alerts.yml");
    }

    Path serverConfig(String env) {
        return root.resolve("deploy/config/" + env + ".yaml");
    }

    /** A path as the repository names it, for messages. */
    String relative(Path file) {
        return root.relativize(file).toString();
    }
}
