package io.orchestra.server.deploy;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks every place that repeats a pinned version or environment fact against deploy/versions.properties: each
 * rule names a file, a pattern whose first group is the value, and the value the pins give. A file that no longer
 * says it at all drifts too (line 0), so a reworded line cannot hide a stale value.
 */
final class Drift {
    static final Path PINS = Path.of("deploy", "versions.properties");
    static final List<String> ENVIRONMENTS = List.of("dev", "staging", "prod");
    /** Each environment's Pulumi stack file is infra/Pulumi.<stack>.yaml; the file's header names it as pinned. */
    static final Map<String, String> PULUMI_STACKS =
            Map.of("dev", "development", "staging", "staging", "prod", "production");

    /** VALUES: every match's first group must equal the pin (and there must be one); PRESENCE: a match must exist exactly when the pin is true. */
    enum Kind {
        VALUES,
        PRESENCE
    }

    record Rule(String file, Pattern pattern, String what, Function<Properties, String> expected, Kind kind) {}

    /** One disagreement: where, what it says, and what the pins say. */
    record Finding(String file, int line, String found, String what, String pinned) {
        @Override
        public String toString() {
            String says = line > 0 ? "says " + found : found.isEmpty() ? "no longer says " + what : "has it " + found;
            return file + ":" + line + ": " + says + ", but " + PINS + " pins " + what + "=" + pinned;
        }
    }

    private Drift() {}

    static Properties pins(Path root) {
        try (Reader in = Files.newBufferedReader(root.resolve(PINS))) {
            Properties pins = new Properties();
            pins.load(in);
            return pins;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Finding> check(Path root) {
        Properties pins = pins(root);
        List<Finding> findings = new ArrayList<>();
        for (Rule rule : rules()) {
            String pinned = rule.expected().apply(pins);
            List<String> lines;
            try {
                lines = Files.readAllLines(root.resolve(rule.file()));
            } catch (IOException e) {
                findings.add(new Finding(rule.file(), 0, "(no such file)", rule.what(), pinned));
                continue;
            }
            if (rule.kind() == Kind.PRESENCE) {
                boolean present =
                        lines.stream().anyMatch(l -> rule.pattern().matcher(l).find());
                if (present != Boolean.parseBoolean(pinned)) {
                    findings.add(new Finding(
                            rule.file(),
                            0,
                            present ? "present" : "absent",
                            rule.what() + " (" + rule.pattern() + ")",
                            pinned));
                }
                continue;
            }
            boolean seen = false;
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = rule.pattern().matcher(lines.get(i));
                while (m.find()) {
                    seen = true;
                    if (!m.group(1).equals(pinned)) {
                        findings.add(new Finding(rule.file(), i + 1, m.group(1), rule.what(), pinned));
                    }
                }
            }
            if (!seen) {
                findings.add(new Finding(rule.file(), 0, "", rule.what(), pinned));
            }
        }
        return findings;
    }

    private static Rule pin(String file, String regex, String key) {
        return new Rule(file, Pattern.compile(regex), key, p -> value(p, key), Kind.VALUES);
    }

    private static Rule derived(String file, String regex, String what, Function<Properties, String> expected) {
        return new Rule(file, Pattern.compile(regex), what, expected, Kind.VALUES);
    }

    private static Rule presence(String file, String regex, String key) {
        return new Rule(file, Pattern.compile(regex), key, p -> value(p, key), Kind.PRESENCE);
    }

    private static String value(Properties pins, String key) {
        String value = pins.getProperty(key);
        if (value == null) {
            throw new IllegalStateException(PINS + " has no " + key);
        }
        return value.strip();
    }

    private static int bound(Properties pins, String env, int index) {
        return Integer.parseInt(value(pins, env + ".replicas").split("-")[index]);
    }

    /** Every place that repeats a pin. Scripts that can read the file do (bin/find-jdk, bin/test-tools). */
    static List<Rule> rules() {
        List<Rule> rules = new ArrayList<>(List.of(
                // The JDK that builds, tests and runs the images.
                pin("deploy/Dockerfile", "FROM eclipse-temurin:(\\d+)-j", "jdk"),
                pin("deploy/cloudbuild.yaml", "eclipse-temurin:(\\d+)-jdk", "jdk"),
                pin(".github/workflows/ci.yml", "java-version: \"(\\d+)\"", "jdk"),
                pin(".devcontainer/devcontainer.json", "features/java:1\": \\{ \"version\": \"(\\d+)\"", "jdk"),
                // The language level and the oldest JDK that runs it.
                pin("pom.xml", "<maven.compiler.release>(\\d+)<", "java.release"),
                pin("README.md", "a JDK (\\d+) or newer", "java.release"),
                pin("Makefile", "no JDK (\\d+) or newer", "java.release"),
                pin("Makefile", "JAVA_HOME if it is (\\d+)\\+", "java.release"),
                pin("bin/orchestra", "Java (\\d+)", "java.release"),
                pin("bin/orchestra", "-ge (\\d+)", "java.release"),
                pin("docs/testing.md", "a JDK (\\d+)\\+", "java.release"),
                // Node.js for the test build.
                pin("README.md", "Node\\.js (\\d+)\\+", "node"),
                pin("docs/testing.md", "Node\\.js (\\d+)\\+", "node"),
                pin(".devcontainer/devcontainer.json", "features/node:1\": \\{ \"version\": \"(\\d+)\"", "node"),
                // Maven and test libraries.
                pin(".mvn/wrapper/maven-wrapper.properties", "apache-maven-([0-9.]+)-bin", "maven"),
                pin(".mvn/wrapper/maven-wrapper.properties", "wrapperVersion=(\\S+)", "maven.wrapper"),
                pin("pom.xml", "<artifactId>playwright</artifactId><version>([^<]+)<", "playwright"),
                // The local stack's images.
                pin("deploy/compose.yaml", "image: (pgvector/\\S+)", "image.postgres"),
                pin("deploy/compose.yaml", "image: (redis:\\S+)", "image.redis"),
                pin("deploy/compose.yaml", "image: (prom/prometheus:\\S+)", "image.prometheus"),
                pin("deploy/compose.yaml", "image: (prom/alertmanager:\\S+)", "image.alertmanager"),
                pin("deploy/compose.yaml", "image: (grafana/\\S+)", "image.grafana"),
                // Google Cloud.
                pin("deploy/cloudbuild.yaml", "_REGION[:=] ?([a-z]+-[a-z]+\\d)", "gcp.region"),
                pin("deploy/cloudbuild.yaml", "_REPO: (\\S+)", "gcp.registry.repository"),
                pin("deploy/cloudrun/deploy.sh", "REGION:-([a-z]+-[a-z]+\\d)", "gcp.region")));
        for (String env : ENVIRONMENTS) {
            String cloudRun = "deploy/cloudrun/service-" + env + ".yaml";
            // The Pulumi program (infra/) reads the pins itself; its stack files repeat the stack, environment and
            // region.
            String stackFile = "infra/Pulumi." + PULUMI_STACKS.get(env) + ".yaml";
            rules.addAll(List.of(
                    pin(stackFile, "^# The (\\w+) stack", env + ".stack"),
                    derived(stackFile, "orchestra:environment: (\\w+)", "the environment", p -> env),
                    pin(stackFile, "gcp:region: (\\S+)", "gcp.region"),
                    // The stack makes the runtime account and the network the service file names.
                    derived(cloudRun, "serviceAccountName: orchestra-run-(\\w+)@", "the environment", p -> env),
                    derived(cloudRun, "\"network\":\"orchestra-(\\w+)\"", "the environment", p -> env)));
            String overlay = "deploy/kubernetes/overlays/" + env + "/";
            // Kubernetes' HPA cannot scale to zero: its minimum is at least 1.
            Function<Properties, String> kubernetesMin = p -> String.valueOf(Math.max(1, bound(p, env, 0)));
            rules.addAll(List.of(
                    pin(cloudRun, "^  name: (\\S+)", env + ".service"),
                    pin(cloudRun, "for " + env + ": (\\d+-\\d+) instances", env + ".replicas"),
                    derived(cloudRun, "minScale: \"(\\d+)\"", env + ".replicas (min)", p -> "" + bound(p, env, 0)),
                    derived(cloudRun, "maxScale: \"(\\d+)\"", env + ".replicas (max)", p -> "" + bound(p, env, 1)),
                    derived(
                            cloudRun,
                            "run.googleapis.com/ingress: (\\S+)",
                            env + ".public",
                            p -> Boolean.parseBoolean(value(p, env + ".public"))
                                    ? "all"
                                    : "internal-and-cloud-load-balancing"),
                    derived(cloudRun, "ORCHESTRA_ENV, value: (\\w+)", "the environment", p -> env),
                    pin(overlay + "kustomization.yaml", "^namespace: (\\S+)", env + ".service"),
                    derived(
                            overlay + "hpa-patch.yaml",
                            "minReplicas: (\\d+)",
                            env + ".replicas (min, >= 1)",
                            kubernetesMin),
                    derived(
                            overlay + "hpa-patch.yaml",
                            "maxReplicas: (\\d+)",
                            env + ".replicas (max)",
                            p -> "" + bound(p, env, 1)),
                    derived(
                            overlay + "deployment-patch.yaml",
                            "^  replicas: (\\d+)",
                            env + ".replicas (min, >= 1)",
                            kubernetesMin),
                    derived(
                            overlay + "deployment-patch.yaml",
                            "ORCHESTRA_ENV, value: (\\w+)",
                            "the environment",
                            p -> env),
                    derived("deploy/config/" + env + ".yaml", "^  env: (\\w+)", "the environment", p -> env),
                    // Redis is configured exactly where the environment requires it.
                    presence("deploy/config/" + env + ".yaml", "^  redis:", env + ".redis"),
                    pin("docs/deployment.md", "\\b" + env + " (\\d+-\\d+)", env + ".replicas")));
        }
        return rules;
    }
}
