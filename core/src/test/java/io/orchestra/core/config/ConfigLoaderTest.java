package io.orchestra.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private OrchestraConfig load(Map<String, String> env) {
        return new ConfigLoader(dir, env, Map.of()).load();
    }

    @Test
    void defaultsGiveADevServerOnSqliteUnderTheDataDir() {
        OrchestraConfig config = load(Map.of());
        assertThat(config.env()).isEqualTo(Environment.DEV);
        assertThat(config.port()).isEqualTo(8000);
        assertThat(config.database().jdbcUrl()).isEqualTo("jdbc:sqlite:data/orchestra.db");
        assertThat(config.publicPaths()).containsExactly("/health", "/ready", "/metrics");
        assertThat(config.redisUrl()).isEmpty();
    }

    @Test
    void portEnvironmentVariableIsHonouredForContainers() {
        assertThat(load(Map.of("PORT", "9090")).port()).isEqualTo(9090);
        assertThat(load(Map.of("PORT", "9090", "ORCHESTRA_PORT", "9191")).port())
                .isEqualTo(9191);
    }

    @Test
    void sourcesApplyInOrderDefaultsYamlDotenvEnvironment() throws IOException {
        Files.writeString(dir.resolve("orchestra.yaml"), """
                orchestra:
                  port: 7001
                  data-dir: from-yaml
                  shutdown:
                    grace-seconds: 7
                """);
        Files.writeString(dir.resolve(".env"), """
                # comment
                ORCHESTRA_PORT=7002
                export ORCHESTRA_LOG_FORMAT="text"
                """);
        OrchestraConfig fromFiles = load(Map.of());
        assertThat(fromFiles.port()).isEqualTo(7002);
        assertThat(fromFiles.dataDir()).isEqualTo(Path.of("from-yaml"));
        assertThat(fromFiles.shutdownGraceSeconds()).isEqualTo(7);
        assertThat(fromFiles.logFormat()).isEqualTo("text");
        assertThat(load(Map.of("ORCHESTRA_PORT", "7003")).port()).isEqualTo(7003);
    }

    @Test
    void postgresUrlsBecomeJdbcWithCredentialsSeparated() {
        OrchestraConfig config =
                load(Map.of("ORCHESTRA_DB_URL", "postgresql://app:s3cret@db.internal:5433/orchestra?sslmode=require"));
        assertThat(config.database().jdbcUrl())
                .isEqualTo("jdbc:postgresql://db.internal:5433/orchestra?sslmode=require");
        assertThat(config.database().user()).contains("app");
        assertThat(config.database().password()).contains("s3cret");
        assertThat(config.database().isPostgres()).isTrue();
        assertThat(config.toString()).doesNotContain("s3cret");
        assertThat(load(Map.of("ORCHESTRA_DB_URL", "jdbc:postgresql://h/db"))
                        .database()
                        .jdbcUrl())
                .isEqualTo("jdbc:postgresql://h/db");
    }

    @Test
    void everyProblemIsListedAtOnce() {
        assertThatThrownBy(() -> load(Map.of(
                        "ORCHESTRA_PORT", "70000",
                        "ORCHESTRA_DB_POOL_SIZE", "many",
                        "ORCHESTRA_LOG_FORMAT", "xml",
                        "ORCHESTRA_REDIS_URL", "http://user:pw@redis",
                        "ORCHESTRA_DB_URL", "mysql://root:hunter2@db/x")))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.problems()).hasSize(5);
                    assertThat(e.getMessage())
                            .contains(
                                    "orchestra.port = '70000'",
                                    "0 to 65535",
                                    "orchestra.db.pool-size = 'many'",
                                    "orchestra.log.format = 'xml'",
                                    "json or text",
                                    "orchestra.redis.url",
                                    "orchestra.db.url");
                    assertThat(e.getMessage()).doesNotContain("hunter2").doesNotContain(":pw@");
                });
    }

    @Test
    void stagingAndProdRefuseSqliteAndAMissingAdminKey() {
        for (String env : new String[] {"staging", "prod"}) {
            assertThatThrownBy(() -> load(Map.of("ORCHESTRA_ENV", env)))
                    .isInstanceOfSatisfying(
                            ConfigException.class,
                            e -> assertThat(e.problems())
                                    .anyMatch(p -> p.contains("refuses SQLite"))
                                    .anyMatch(p -> p.contains("orchestra.admin-key")
                                            && p.contains("refuses to start without one")));
        }
        OrchestraConfig prod = load(Map.of(
                "ORCHESTRA_ENV",
                "prod",
                "ORCHESTRA_DB_URL",
                "postgresql://u:p@db/orchestra",
                "ORCHESTRA_ADMIN_KEY",
                "orc_a-long-enough-admin-key-for-prod"));
        assertThat(prod.env()).isEqualTo(Environment.PROD);
        assertThat(prod.toString()).doesNotContain("orc_a-long-enough");
    }

    @Test
    void unknownEnvironmentIsAProblem() {
        assertThatThrownBy(() -> load(Map.of("ORCHESTRA_ENV", "qa")))
                .isInstanceOfSatisfying(
                        ConfigException.class,
                        e -> assertThat(e.problems()).anyMatch(p -> p.contains("one of dev, staging, prod")));
    }

    @Test
    void profileSectionsOverrideForTheirEnvironmentOnly() throws IOException {
        Files.writeString(dir.resolve("orchestra.yaml"), """
                orchestra:
                  port: 8100
                "%prod":
                  orchestra:
                    port: 8200
                """);
        assertThat(load(Map.of()).port()).isEqualTo(8100);
        assertThat(load(Map.of(
                                "ORCHESTRA_ENV",
                                "prod",
                                "ORCHESTRA_DB_URL",
                                "postgresql://db/x",
                                "ORCHESTRA_ADMIN_KEY",
                                "orc_0123456789012345678901234"))
                        .port())
                .isEqualTo(8200);
    }

    @Test
    void invalidYamlIsReportedNotThrownRaw() throws IOException {
        Files.writeString(dir.resolve("orchestra.yaml"), "orchestra: [unclosed");
        assertThatThrownBy(() -> load(Map.of()))
                .isInstanceOfSatisfying(
                        ConfigException.class,
                        e -> assertThat(e.problems()).anyMatch(p -> p.startsWith("orchestra.config")));
    }

    private OrchestraConfig loadOverrides(Map<String, String> overrides) {
        return new ConfigLoader(dir, Map.of(), overrides).load();
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "no", "1", "0", "on", "off", "ture", "fasle", "Y", "enabled", "true!"})
    void moduleBooleansAreTrueOrFalseAndAnythingElseIsAProblem(String value) {
        for (String key : new String[] {"orchestra.chat.extract-memories", "orchestra.memory.graph.semantic"}) {
            assertThatThrownBy(() -> loadOverrides(Map.of(key, value)))
                    .as(key + "=" + value)
                    .isInstanceOfSatisfying(
                            ConfigException.class,
                            e -> assertThat(e.problems())
                                    .containsExactly(key + " = '" + value + "': expected true or false"));
        }
    }

    @Test
    void booleansParseInAnyCaseFromEverySource() throws IOException {
        assertThat(loadOverrides(Map.of("orchestra.chat.extract-memories", " FALSE "))
                        .agents()
                        .chat()
                        .extractMemories())
                .isFalse();
        assertThat(load(Map.of("ORCHESTRA_MEMORY_GRAPH_SEMANTIC", "True"))
                        .memory()
                        .semanticGraph())
                .isTrue();
        Files.writeString(dir.resolve("orchestra.yaml"), """
                orchestra:
                  chat:
                    extract-memories: false
                  memory:
                    graph:
                      semantic: true
                """);
        OrchestraConfig fromYaml = load(Map.of());
        assertThat(fromYaml.agents().chat().extractMemories()).isFalse();
        assertThat(fromYaml.memory().semanticGraph()).isTrue();
    }

    /** Property over seeded random spellings: a value is a boolean exactly when it is true/false in some case. */
    @Test
    void randomSpellingsAreBooleansOnlyWhenTheyAreTrueOrFalse() {
        java.util.Random random = new java.util.Random(12);
        String alphabet = "truefalsTRUEFALSyesno01 \t";
        for (int i = 0; i < 300; i++) {
            StringBuilder value = new StringBuilder();
            int length = random.nextInt(7);
            for (int j = 0; j < length; j++) {
                value.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            if (i % 10 == 0) {
                value = new StringBuilder(random.nextBoolean() ? "tRuE" : "FaLsE");
            }
            String v = value.toString();
            String trimmed = v.trim().toLowerCase(java.util.Locale.ROOT);
            Map<String, String> overrides = Map.of("orchestra.chat.extract-memories", v);
            if (trimmed.isEmpty()) {
                assertThat(loadOverrides(overrides).agents().chat().extractMemories())
                        .as("blank is unset: the default")
                        .isTrue();
            } else if (trimmed.equals("true") || trimmed.equals("false")) {
                assertThat(loadOverrides(overrides).agents().chat().extractMemories())
                        .isEqualTo(trimmed.equals("true"));
            } else {
                assertThatThrownBy(() -> loadOverrides(overrides))
                        .as("'" + v + "'")
                        .isInstanceOf(ConfigException.class)
                        .hasMessageContaining("expected true or false");
            }
        }
    }

    @Test
    void moduleSettingsHaveTheirDefaults() {
        OrchestraConfig config = load(Map.of());
        assertThat(config.memory().vectorEngine()).isEqualTo(MemorySettings.VectorEngine.AUTO);
        assertThat(config.memory().semanticGraph()).isFalse();
        assertThat(config.memory().embeddings().provider()).isEqualTo(EmbeddingsSettings.Provider.LOCAL);
        assertThat(config.memory().embeddings().keepAliveSeconds()).isEqualTo(300);
        AgentsSettings agents = config.agents();
        assertThat(agents.personasDir()).isEqualTo(Path.of("personas"));
        assertThat(agents.chat()).isEqualTo(new AgentsSettings.Chat(6000, 0.25, true, 6, 15_000));
        assertThat(agents.teamParallelism()).isEqualTo(4);
        assertThat(agents.search().wikipediaUrl()).contains(java.net.URI.create("https://en.wikipedia.org"));
        assertThat(agents.search().searxngUrl()).isEmpty();
        assertThat(config.gateway().pricesFile()).isEmpty();
        assertThat(config.mcp().allowedOrigins()).isEmpty();
        assertThat(loadOverrides(Map.of("orchestra.search.wikipedia.url", "off"))
                        .agents()
                        .search()
                        .wikipediaUrl())
                .isEmpty();
        assertThat(loadOverrides(Map.of("orchestra.memory.vector-engine", "In-Process"))
                        .memory()
                        .vectorEngine())
                .isEqualTo(MemorySettings.VectorEngine.IN_PROCESS);
    }

    @Test
    void everyModuleProblemIsListedAtOnceWithSecretsMasked() {
        Map<String, String> bad = new java.util.HashMap<>();
        bad.put("orchestra.port", "eighty");
        bad.put("orchestra.chat.history-tokens", "lots");
        bad.put("orchestra.chat.routing-threshold", "2");
        bad.put("orchestra.chat.max-steps", "0");
        bad.put("orchestra.chat.tool-timeout-ms", "-5");
        bad.put("orchestra.teams.parallelism", "1.5");
        bad.put("orchestra.memory.vector-engine", "faiss");
        bad.put("orchestra.memory.graph.semantic-min-similarity", "close");
        bad.put("orchestra.embeddings.provider", "grpc");
        bad.put("orchestra.embeddings.url", "ftp://user:hunter2@embed.example");
        bad.put("orchestra.embeddings.keep-alive-s", "-1");
        bad.put("orchestra.search.searxng.url", "searx.local");
        bad.put("orchestra.search.timeout-ms", "soon");
        bad.put("orchestra.mcp.allowed-origins", "https://ok.example, not-an-origin");
        assertThatThrownBy(() -> loadOverrides(bad)).isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(e.problems()).hasSize(bad.size());
            for (String key : bad.keySet()) {
                assertThat(e.problems()).as(key).anyMatch(p -> p.startsWith(key + " = "));
            }
            assertThat(e.getMessage())
                    .contains("one of auto, pgvector, in-process", "one of local, http", "not-an-origin")
                    .doesNotContain("hunter2");
        });
    }

    @Test
    void httpEmbeddingsNeedUrlModelAndDimensions() {
        assertThatThrownBy(() -> loadOverrides(Map.of("orchestra.embeddings.provider", "http")))
                .isInstanceOfSatisfying(
                        ConfigException.class,
                        e -> assertThat(e.problems())
                                .hasSize(3)
                                .anyMatch(p -> p.startsWith("orchestra.embeddings.url"))
                                .anyMatch(p -> p.startsWith("orchestra.embeddings.model"))
                                .anyMatch(p -> p.startsWith("orchestra.embeddings.dimensions")));
        EmbeddingsSettings http = loadOverrides(Map.of(
                        "orchestra.embeddings.provider", "http",
                        "orchestra.embeddings.url", "https://api.example/v1",
                        "orchestra.embeddings.model", "m",
                        "orchestra.embeddings.dimensions", "3",
                        "orchestra.embeddings.api-key", "sk-very-secret-key"))
                .memory()
                .embeddings();
        assertThat(http.dimensions()).isEqualTo(3);
        assertThat(http.toString()).doesNotContain("sk-very-secret-key");
    }
}
