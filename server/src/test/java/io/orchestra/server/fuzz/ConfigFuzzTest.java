package io.orchestra.server.fuzz;

import io.orchestra.core.config.ConfigException;
import io.orchestra.core.config.ConfigLoader;
import io.orchestra.gateway.config.GatewayConfigParser;
import io.orchestra.gateway.providers.ProviderSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * orchestra.yaml: the whole file through {@link ConfigLoader} (a config or a {@link ConfigException}
 * listing problems), and its {@code gateway:} section through {@link GatewayConfigParser}, which also
 * reads routes PUT on /api/routes, so it must collect problems and never throw.
 */
class ConfigFuzzTest {
    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    private static final List<String> SEEDS = Fuzz.corpus("config");
    private static Path dir;

    @BeforeContainer
    static void directory() throws IOException {
        dir = Files.createTempDirectory("orchestra-config-fuzz");
    }

    @AfterContainer
    static void clean() throws IOException {
        try (var files = Files.walk(dir)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    @Provide
    Arbitrary<String> files() {
        // JSON is YAML, so structural mutations of the JSON seed and text mutations of the YAML one both apply.
        return Arbitraries.longs().map(seed -> {
            Random r = new Random(seed);
            String base = SEEDS.get(r.nextInt(SEEDS.size()));
            return r.nextInt(3) == 0 ? Fuzz.mutateText(r, base) : Fuzz.json(r, List.of(base));
        });
    }

    @Property(seed = Fuzz.SEED)
    void aConfigFileLoadsOrListsItsProblems(@ForAll("files") String yaml) {
        load(yaml);
    }

    @Property(seed = Fuzz.SEED)
    void theGatewaySectionParsesOrListsItsProblems(@ForAll("files") String yaml) {
        gateway(yaml);
    }

    @Example
    void corpusReplays() {
        SEEDS.forEach(ConfigFuzzTest::load);
        SEEDS.forEach(ConfigFuzzTest::gateway);
    }

    private static void load(String yaml) {
        try {
            Files.writeString(dir.resolve("orchestra.yaml"), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Fuzz.expectOnly(
                "config",
                yaml,
                () -> {
                    try {
                        new ConfigLoader(
                                        dir,
                                        Map.of(),
                                        Map.of(
                                                "orchestra.data-dir",
                                                dir.resolve("data").toString()))
                                .load();
                    } catch (ConfigException e) {
                        Fuzz.assertMessages(e.problems());
                        throw e;
                    }
                },
                ConfigException.class);
    }

    private static void gateway(String yaml) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JacksonException e) {
            return; // GatewayConfigSource reports an unreadable file as one problem
        }
        GatewayConfigParser parser = new GatewayConfigParser(name -> name.equals("OPENAI_API_KEY") ? "sk-x" : null);
        List<String> problems = new ArrayList<>();
        Fuzz.expectOnly("config", yaml, () -> {
            parser.parse(root == null ? null : root.path("gateway"), problems);
            for (JsonNode route :
                    root == null ? List.<JsonNode>of() : root.path("gateway").path("routes")) {
                parser.route(route, "route", Map.<String, ProviderSettings>of(), problems);
            }
            Fuzz.assertMessages(problems);
        });
    }
}
