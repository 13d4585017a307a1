package io.orchestra.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
}
