package io.orchestra.server.cli;

import io.orchestra.core.config.ConfigException;
import io.orchestra.core.config.ConfigLoader;
import io.orchestra.core.config.OrchestraConfig;
import io.orchestra.core.config.Secrets;
import io.orchestra.server.doctor.Doctor;
import io.orchestra.server.doctor.Pins;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

@Command(
        name = "config",
        mixinStandardHelpOptions = true,
        description = "Check an environment's configuration, or compare two.",
        subcommands = {ConfigCommand.Check.class, ConfigCommand.Diff.class})
final class ConfigCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(
            name = "check",
            mixinStandardHelpOptions = true,
            description =
                    "Validate a target environment's configuration without starting anything (exit 2 when invalid, 1 when unreachable).")
    static final class Check implements Callable<Integer> {
        @Option(names = "--env", required = true, description = "dev, staging or prod")
        String env;

        @Option(
                names = "--file",
                required = true,
                description = "The environment's orchestra.yaml, e.g. deploy/config/staging.yaml")
        Path file;

        @Option(names = "--reachability", description = "Also connect to the database and Redis it names.")
        boolean reachability;

        @Override
        public Integer call() {
            Logging.configure("text", true);
            if (!Files.isRegularFile(file)) {
                System.err.println("no such file: " + file);
                return 2;
            }
            Map<String, String> environment = new HashMap<>(System.getenv());
            environment.put("ORCHESTRA_ENV", env);
            OrchestraConfig config;
            try {
                config = new ConfigLoader(
                                file.toAbsolutePath().getParent(),
                                environment,
                                Map.of("orchestra.config", file.toAbsolutePath().toString()))
                        .load();
            } catch (ConfigException e) {
                System.out.println(env + ": " + file + " is invalid");
                e.problems().forEach(p -> System.out.println("  - " + p));
                return 2;
            } catch (RuntimeException e) {
                // An unresolvable ${VAR} is reported by SmallRye as it reads the value.
                System.out.println(env + ": " + file + " is invalid");
                System.out.println("  - " + Secrets.maskUrl(e.getMessage()));
                return 2;
            }
            System.out.println(env + ": " + file + " is valid (database "
                    + config.database().displayUrl()
                    + (config.redisUrl().isPresent()
                            ? ", redis " + Secrets.maskUrl(config.redisUrl().get())
                            : "") + ")");
            if (!reachability) {
                return 0;
            }
            List<Doctor.Check> checks = new ArrayList<>();
            checks.add(Doctor.database(config, false));
            config.redisUrl().ifPresent(url -> checks.add(Doctor.redis(url)));
            System.out.print(Doctor.table(checks));
            return checks.stream().allMatch(Doctor.Check::ok) ? 0 : 1;
        }
    }

    @Command(
            name = "diff",
            mixinStandardHelpOptions = true,
            description = "List the settings whose presence or value differs between environments (secrets masked),"
                    + " and the deploy facts that differ: instances, public access, Redis required.")
    static final class Diff implements Callable<Integer> {
        private static final Pins PINS = Pins.bundled();

        @Parameters(arity = "2..*", description = "Two or more environments, e.g. dev staging prod")
        List<String> envs;

        @Option(
                names = "--dir",
                defaultValue = "deploy/config",
                description = "Where <env>.yaml files are (default: deploy/config).")
        Path dir;

        @Override
        public Integer call() throws IOException {
            List<Map<String, String>> settings = new ArrayList<>();
            for (String env : envs) {
                settings.add(flatten(dir.resolve(env + ".yaml")));
            }
            TreeSet<String> keys = new TreeSet<>();
            settings.forEach(s -> keys.addAll(s.keySet()));
            Map<String, List<String>> rows = new LinkedHashMap<>();
            for (String key : keys) {
                // Compared as written, shown masked: two different secrets differ even though both show ****.
                List<String> raw =
                        settings.stream().map(s -> String.valueOf(s.get(key))).toList();
                if (raw.stream().distinct().count() > 1) {
                    rows.put(
                            key,
                            settings.stream().map(s -> show(key, s.get(key))).toList());
                }
            }
            int differences = rows.size();
            Map<String, List<String>> deploy = deployFacts();
            int deployDifferences = deploy.size();
            rows.putAll(deploy);
            int width = Math.max(
                    "SETTING".length(),
                    rows.keySet().stream().mapToInt(String::length).max().orElse(10));
            List<String> header = new ArrayList<>(List.of("SETTING"));
            header.addAll(envs);
            System.out.println(row(width, header));
            rows.forEach((key, values) -> {
                List<String> cells = new ArrayList<>(List.of(key));
                cells.addAll(values);
                System.out.println(row(width, cells));
            });
            System.out.println(differences + " settings differ"
                    + (deployKnown() ? ", " + deployDifferences + " deploy facts differ" : ""));
            return 0;
        }

        /** Whether every environment named is one the deploy files describe (dev, staging, prod). */
        private boolean deployKnown() {
            return envs.stream().allMatch(PINS::hasEnvironment);
        }

        /**
         * The deploy files' differences, read from deploy/versions.properties, which DriftTest checks the Cloud Run
         * and Kubernetes files against; none for environments that have no deploy files.
         */
        private Map<String, List<String>> deployFacts() {
            Map<String, List<String>> rows = new LinkedHashMap<>();
            if (!deployKnown()) {
                return rows;
            }
            List<Pins.Environment> pinned = envs.stream().map(PINS::environment).toList();
            addIfDiffers(
                    rows,
                    "deploy: service",
                    pinned.stream().map(Pins.Environment::service).toList());
            addIfDiffers(
                    rows,
                    "deploy: instances (min-max)",
                    pinned.stream()
                            .map(e -> e.minInstances() + "-" + e.maxInstances())
                            .toList());
            addIfDiffers(
                    rows,
                    "deploy: public access",
                    pinned.stream().map(e -> e.publicAccess() ? "yes" : "no").toList());
            addIfDiffers(
                    rows,
                    "deploy: redis required",
                    pinned.stream().map(e -> e.redisRequired() ? "yes" : "no").toList());
            return rows;
        }

        private static void addIfDiffers(Map<String, List<String>> rows, String name, List<String> values) {
            if (values.stream().distinct().count() > 1) {
                rows.put(name, values);
            }
        }

        private static String row(int width, List<String> cells) {
            StringBuilder line = new StringBuilder(String.format("%-" + width + "s", cells.get(0)));
            for (String cell : cells.subList(1, cells.size())) {
                line.append("  ").append(String.format("%-30s", cell));
            }
            return line.toString().stripTrailing();
        }

        private static String show(String key, String value) {
            return value == null ? "(unset)" : Secrets.display(key, value);
        }

        static Map<String, String> flatten(Path file) throws IOException {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("no such file: " + file);
            }
            Map<String, String> out = new TreeMap<>();
            flatten("", YAMLMapper.builder().build().readTree(file.toFile()), out);
            return out;
        }

        private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
            if (node == null || node.isNull()) {
                return;
            }
            if (node.isObject()) {
                node.properties()
                        .forEach(e ->
                                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out));
            } else if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    flatten(prefix + "[" + i + "]", node.get(i), out);
                }
            } else {
                out.put(prefix, node.asString());
            }
        }
    }
}
