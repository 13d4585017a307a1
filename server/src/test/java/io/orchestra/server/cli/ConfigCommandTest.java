package io.orchestra.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.testkit.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `orchestra config check` and `config diff` on the shipped environment files and on temp ones. */
class ConfigCommandTest {
    static final Path CONFIGS = Path.of("..", "deploy", "config");

    @TempDir
    Path dir;

    @Test
    void shippedDevConfigIsValidAndStagingNeedsItsSecrets() {
        CliTest.Run dev = CliTest.run(
                "config",
                "check",
                "--env",
                "dev",
                "--file",
                CONFIGS.resolve("dev.yaml").toString());
        assertThat(dev.exitCode()).as(dev.out()).isZero();
        assertThat(dev.out()).contains("is valid");
        CliTest.Run staging = CliTest.run(
                "config",
                "check",
                "--env",
                "staging",
                "--file",
                CONFIGS.resolve("staging.yaml").toString());
        assertThat(staging.exitCode()).isEqualTo(2);
        assertThat(staging.out()).contains("is invalid");
    }

    @Test
    void stagingWithRealValuesIsValidAndReachable() throws Exception {
        try (TestPostgres.Fresh db = TestPostgres.freshDatabase()) {
            Path file = Files.writeString(dir.resolve("staging.yaml"), """
                    orchestra:
                      env: staging
                      db: { url: "%s" }
                      admin-key: orc_a-staging-admin-key-long-enough
                    """.formatted(db.jdbcUrl()));
            CliTest.Run check =
                    CliTest.run("config", "check", "--env", "staging", "--file", file.toString(), "--reachability");
            assertThat(check.exitCode()).as(check.out()).isZero();
            assertThat(check.out()).contains("is valid", "[PASS] database reachable");
            assertThat(check.out()).doesNotContain("orc_a-staging-admin-key-long-enough");

            Path broken = Files.writeString(dir.resolve("prod.yaml"), """
                    orchestra:
                      env: prod
                      port: 99999
                    """);
            CliTest.Run invalid = CliTest.run("config", "check", "--env", "prod", "--file", broken.toString());
            assertThat(invalid.exitCode()).isEqualTo(2);
            assertThat(invalid.out()).contains("orchestra.port", "refuses SQLite", "orchestra.admin-key");
        }
    }

    @Test
    void diffListsWhatDiffersWithSecretsMasked() throws Exception {
        CliTest.Run diff = CliTest.run("config", "diff", "dev", "prod", "--dir", CONFIGS.toString());
        assertThat(diff.exitCode()).isZero();
        assertThat(diff.out())
                .contains("orchestra.env", "orchestra.db.pool-size", "orchestra.log.format", "orchestra.admin-key")
                .doesNotContain("orchestra.port ")
                .doesNotContain("${ORCHESTRA_ADMIN_KEY}");
        Files.writeString(dir.resolve("a.yaml"), "orchestra: { db: { password: hunter2 } }");
        Files.writeString(dir.resolve("b.yaml"), "orchestra: { db: { password: swordfish } }");
        CliTest.Run secret = CliTest.run("config", "diff", "a", "b", "--dir", dir.toString());
        assertThat(secret.out())
                .contains("orchestra.db.password", "****")
                .doesNotContain("hunter2")
                .doesNotContain("swordfish");
    }

    @Test
    void diffOfAllThreeEnvironmentsShowsTheirDeployDifferencesToo() {
        CliTest.Run diff = CliTest.run("config", "diff", "dev", "staging", "prod", "--dir", CONFIGS.toString());
        assertThat(diff.exitCode()).as(diff.err()).isZero();
        java.util.List<String> lines = diff.out().lines().toList();
        assertThat(lines.get(0).split("\\s+")).containsExactly("SETTING", "dev", "staging", "prod");
        assertThat(lines)
                .anySatisfy(l -> assertThat(l.split("\\s{2,}"))
                        .containsExactly("deploy: instances (min-max)", "0-3", "1-5", "2-10"))
                .anySatisfy(
                        l -> assertThat(l.split("\\s{2,}")).containsExactly("deploy: public access", "yes", "no", "no"))
                .anySatisfy(l ->
                        assertThat(l.split("\\s{2,}")).containsExactly("deploy: redis required", "no", "yes", "yes"))
                .anySatisfy(l -> assertThat(l).startsWith("orchestra.db.pool-size"));
        assertThat(lines.get(lines.size() - 1)).matches("\\d+ settings differ, 4 deploy facts differ");
    }
}
