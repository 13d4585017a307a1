package io.orchestra.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs the real tools on the deploy files when they are installed (Debian's docker-compose,
 * shellcheck, promtool, amtool, kubectl's built-in kustomize), which {@code make test} installs where it can
 * (bin/test-tools); each check is skipped with the fix, not faked, where a tool is still missing. The kustomize check also proves that KustomizeOverlaysTest's merge matches the real one.
 */
class DeployToolingTest {
    static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    /** bin/test-tools (run by `make test`) installs the Debian tools as root or with passwordless sudo. */
    static final String FIX = "run `make test` as root, or `sudo apt-get install docker-compose shellcheck prometheus"
            + " prometheus-alertmanager`";

    record Run(int exit, String output) {}

    static boolean onPath(String tool) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
    }

    static Run run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command)
                .directory(REPO.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS))
                .as("%s finishes", command)
                .isTrue();
        return new Run(process.exitValue(), output);
    }

    @Test
    void composeFileIsValidWithTheDocumentedVariables() throws Exception {
        assumeTrue(onPath("docker-compose"), "docker-compose not installed: " + FIX);
        Run run = run(List.of("docker-compose", "--env-file", ".env.example", "-f", "deploy/compose.yaml", "config"));
        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output())
                .contains("orchestra:", "postgres:", "redis:", "prometheus:", "grafana:", "alertmanager:");
        assertThat(run.output()).doesNotContain("variable is not set");
        assertThat(run.output()).contains("ORCHESTRA_CONFIG: /opt/orchestra/config/staging.yaml");
        assertThat(REPO.resolve("deploy/config/staging.yaml")).isRegularFile();
    }

    @Test
    void shellScriptsAreShellcheckClean() throws Exception {
        assumeTrue(onPath("shellcheck"), "shellcheck not installed: " + FIX);
        List<String> command = new ArrayList<>(List.of("shellcheck"));
        for (String dir : List.of("bin", "deploy", ".ci")) {
            try (Stream<Path> files = Files.walk(REPO.resolve(dir))) {
                files.filter(Files::isRegularFile)
                        .filter(f ->
                                f.toString().endsWith(".sh") || firstLine(f).startsWith("#!/usr/bin/env bash"))
                        .forEach(f -> command.add(REPO.relativize(f).toString()));
            }
        }
        assertThat(command).contains("deploy/cloudrun/deploy.sh", "bin/orchestra", "bin/make-dist");
        Run run = run(command);
        assertThat(run.exit()).as(run.output()).isZero();
    }

    @Test
    void prometheusRulesAndConfigsAreValid() throws Exception {
        assumeTrue(onPath("promtool") && onPath("amtool"), "promtool/amtool not installed: " + FIX);
        Run rules = run(List.of("promtool", "check", "rules", "deploy/prometheus/alerts.yml"));
        assertThat(rules.exit()).as(rules.output()).isZero();
        assertThat(rules.output()).containsPattern("SUCCESS: \\d+ rules found");
        // Syntax only: rule_files names the path inside the Prometheus container.
        Run config = run(List.of("promtool", "check", "config", "--syntax-only", "deploy/prometheus/prometheus.yml"));
        assertThat(config.exit()).as(config.output()).isZero();
        Run alertmanager = run(List.of("amtool", "check-config", "deploy/alertmanager/alertmanager.yml"));
        assertThat(alertmanager.exit()).as(alertmanager.output()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "staging", "prod"})
    void realKustomizeBuildsWhatTheOverlayTestChecks(String env) throws Exception {
        assumeTrue(onPath("kubectl"), "kubectl not installed: install kubectl (it carries kustomize)");
        Run run = run(List.of("kubectl", "kustomize", "deploy/kubernetes/overlays/" + env));
        assertThat(run.exit()).as(run.output()).isZero();
        Map<String, JsonNode> real = new LinkedHashMap<>();
        for (String doc : run.output().split("(?m)^---$")) {
            if (doc.isBlank()) {
                continue;
            }
            JsonNode object = KustomizeOverlaysTest.YAML.readTree(doc);
            real.put(
                    object.path("kind").asString() + "/"
                            + object.path("metadata").path("name").asString(),
                    object);
        }
        Map<String, ObjectNode> ours = KustomizeOverlaysTest.build(
                KustomizeOverlaysTest.ROOT.resolve("overlays").resolve(env));
        assertThat(real.keySet()).containsExactlyInAnyOrderElementsOf(ours.keySet());
        ours.forEach((key, object) -> assertThat(real.get(key)).as(key).isEqualTo(object));
    }

    static String firstLine(Path file) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.findFirst().orElse("");
        } catch (Exception e) {
            return ""; // binary or unreadable: not a script
        }
    }
}
