package io.orchestra.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every version and environment fact has one source, deploy/versions.properties; every place that repeats one agrees. */
class DriftTest {
    static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path copy;

    @Test
    void everyPlaceAgreesWithThePins() {
        assertThat(Drift.check(REPO)).as("drift from %s", Drift.PINS).isEmpty();
    }

    @Test
    void aDriftedFileIsNamedWithItsLineAndBothValues() throws IOException {
        copyRepoFiles();
        Path dockerfile = copy.resolve("deploy/Dockerfile");
        List<String> lines = Files.readAllLines(dockerfile);
        int line = lines.indexOf(lines.stream()
                        .filter(l -> l.startsWith("FROM eclipse-temurin:"))
                        .reduce((a, b) -> b)
                        .orElseThrow())
                + 1;
        lines.set(line - 1, lines.get(line - 1).replaceFirst("temurin:\\d+", "temurin:24"));
        Files.write(dockerfile, lines);

        List<Drift.Finding> findings = Drift.check(copy);

        assertThat(findings).hasSize(1);
        Drift.Finding finding = findings.get(0);
        assertThat(finding.file()).isEqualTo("deploy/Dockerfile");
        assertThat(finding.line()).isEqualTo(line);
        assertThat(finding.found()).isEqualTo("24");
        assertThat(finding.pinned()).isEqualTo(Drift.pins(REPO).getProperty("jdk"));
        assertThat(finding.toString()).contains("deploy/Dockerfile:" + line, "24", "jdk=25");
    }

    @Test
    void changingAPinPointsAtEveryFileThatMustFollow() throws IOException {
        copyRepoFiles();
        Path pins = copy.resolve(Drift.PINS);
        Files.writeString(
                pins,
                Files.readString(pins).replace("jdk=25", "jdk=26").replace("prod.replicas=2-10", "prod.replicas=3-12"));

        Set<String> files =
                Drift.check(copy).stream().map(Drift.Finding::file).collect(Collectors.toCollection(TreeSet::new));

        assertThat(files)
                .containsExactlyInAnyOrder(
                        "deploy/Dockerfile",
                        "deploy/cloudbuild.yaml",
                        ".github/workflows/ci.yml",
                        ".devcontainer/devcontainer.json",
                        "deploy/cloudrun/service-prod.yaml",
                        "deploy/kubernetes/overlays/prod/hpa-patch.yaml",
                        "deploy/kubernetes/overlays/prod/deployment-patch.yaml",
                        "docs/deployment.md");
    }

    @Test
    void aPlaceThatStopsSayingItsValueDriftsToo() throws IOException {
        copyRepoFiles();
        Path config = copy.resolve("deploy/config/staging.yaml");
        Files.writeString(config, Files.readString(config).replace("  redis:\n    url: ${ORCHESTRA_REDIS_URL}\n", ""));
        Path wrapper = copy.resolve(".mvn/wrapper/maven-wrapper.properties");
        Files.writeString(wrapper, Files.readString(wrapper).replaceAll("apache-maven-[0-9.]+-bin", "maven-latest"));

        assertThat(Drift.check(copy))
                .extracting(Drift.Finding::file)
                .containsExactlyInAnyOrder("deploy/config/staging.yaml", ".mvn/wrapper/maven-wrapper.properties");
    }

    /** The files the rules read, copied so a test can drift them. */
    private void copyRepoFiles() throws IOException {
        Set<String> files = new TreeSet<>();
        Drift.rules().forEach(r -> files.add(r.file()));
        files.add(Drift.PINS.toString());
        for (String file : files) {
            Path target = copy.resolve(file);
            Files.createDirectories(target.getParent());
            Files.copy(REPO.resolve(file), target);
        }
    }
}
