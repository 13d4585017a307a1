package io.orchestra.server.cli;

import io.orchestra.core.config.ConfigException;
import io.orchestra.core.config.ConfigLoader;
import io.orchestra.core.config.OrchestraConfig;
import io.orchestra.core.config.Secrets;
import io.orchestra.server.doctor.Doctor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
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
            description =
                    "List the settings whose presence or value differs between two environments (secrets masked).")
    static final class Diff implements Callable<Integer> {
        @Parameters(index = "0", description = "First environment, e.g. dev")
        String first;

        @Parameters(index = "1", description = "Second environment, e.g. prod")
        String second;

        @Option(
                names = "--dir",
                defaultValue = "deploy/config",
                description = "Where <env>.yaml files are (default: deploy/config).")
        Path dir;

        @Override
        public Integer call() throws IOException {
            Map<String, String> a = flatten(dir.resolve(first + ".yaml"));
            Map<String, String> b = flatten(dir.resolve(second + ".yaml"));
            TreeSet<String> keys = new TreeSet<>(a.keySet());
            keys.addAll(b.keySet());
            int width = keys.stream().mapToInt(String::length).max().orElse(10);
            System.out.printf("%-" + width + "s  %-30s  %s%n", "SETTING", first, second);
            int differences = 0;
            for (String key : keys) {
                String va = a.get(key);
                String vb = b.get(key);
                if (va == null || !va.equals(vb)) {
                    differences++;
                    System.out.printf("%-" + width + "s  %-30s  %s%n", key, show(key, va), show(key, vb));
                }
            }
            System.out.println(differences + " settings differ");
            return 0;
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
