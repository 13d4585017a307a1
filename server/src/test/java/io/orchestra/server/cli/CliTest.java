package io.orchestra.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI against a real SQLite file, configured through -Dorchestra.* properties. */
class CliTest {
    @TempDir
    Path dataDir;

    record Run(int exitCode, String out, String err) {}

    @BeforeEach
    void configure() {
        System.setProperty("orchestra.data-dir", dataDir.toString());
        System.setProperty("orchestra.port", "0");
    }

    @AfterEach
    void clear() {
        System.clearProperty("orchestra.data-dir");
        System.clearProperty("orchestra.port");
        System.clearProperty("orchestra.db.url");
    }

    static Run run(String... args) {
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = OrchestraCli.execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
    }

    @Test
    void keysCreateListRevoke() {
        Run created = run("keys", "create", "--name", "ci-bot", "--role", "member", "--tag", "batch");
        assertThat(created.exitCode()).as(created.err()).isZero();
        Matcher secret =
                Pattern.compile("secret \\(shown only once\\): (orc_\\S+)").matcher(created.out());
        assertThat(secret.find()).isTrue();
        Matcher id = Pattern.compile("key (key_\\w+)").matcher(created.out());
        assertThat(id.find()).isTrue();

        Run listed = run("keys", "list");
        assertThat(listed.exitCode()).isZero();
        assertThat(listed.out())
                .contains(id.group(1))
                .contains("ci-bot")
                .contains("active")
                .doesNotContain(secret.group(1));

        Run revoked = run("keys", "revoke", id.group(1));
        assertThat(revoked.exitCode()).isZero();
        assertThat(run("keys", "list").out()).contains("revoked");
    }

    @Test
    void invalidKeyArgumentsListEveryProblem() {
        Run invalid = run("keys", "create", "--name", " ", "--role", "boss");
        assertThat(invalid.exitCode()).isEqualTo(2);
        assertThat(invalid.err()).contains("name: required").contains("role: must be 'admin' or 'member'");
    }

    @Test
    void revokingAnUnknownKeyFailsClearly() {
        Run missing = run("keys", "revoke", "key_nope");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("no API key with id 'key_nope'");
    }

    @Test
    void invalidConfigurationExitsWithEveryProblem() {
        System.setProperty("orchestra.db.url", "mysql://root:hunter2@db/x");
        System.setProperty("orchestra.port", "-5");
        Run failed = run("keys", "list");
        assertThat(failed.exitCode()).isEqualTo(2);
        assertThat(failed.err())
                .contains("orchestra.db.url")
                .contains("orchestra.port")
                .doesNotContain("hunter2");
    }

    @Test
    void aBadModuleSettingStopsServeWithAClearMessage() {
        System.setProperty("orchestra.chat.max-steps", "lots");
        try {
            Run serve = run("serve");
            assertThat(serve.exitCode()).isEqualTo(2);
            assertThat(serve.err())
                    .contains("orchestra.chat.max-steps = 'lots'", "a whole number from 1 to 50")
                    .doesNotContain("\tat ");
        } finally {
            System.clearProperty("orchestra.chat.max-steps");
        }
    }

    @Test
    void doctorPassesOnAHealthyEnvironment() {
        assertThat(run("migrate").exitCode()).isZero();
        Run doctor = run("doctor");
        assertThat(doctor.exitCode()).as(doctor.out()).isZero();
        assertThat(doctor.out())
                .contains(
                        "[PASS] JDK version",
                        "[PASS] config valid",
                        "[PASS] data dir writable",
                        "[PASS] database reachable and migrated",
                        "All checks passed.");
    }

    @Test
    void doctorFailsWithAFixWhenTheDatabaseIsUnreachable() {
        System.setProperty("orchestra.db.url", "postgresql://app:hunter2@127.0.0.1:1/orchestra");
        Run doctor = run("doctor");
        assertThat(doctor.exitCode()).isEqualTo(1);
        assertThat(doctor.out())
                .contains("[FAIL] database reachable and migrated", "fix: check ORCHESTRA_DB_URL")
                .doesNotContain("hunter2");
    }

    @Test
    void doctorReportsPendingMigrations() {
        Run doctor = run("doctor");
        assertThat(doctor.exitCode()).isEqualTo(1);
        assertThat(doctor.out()).contains("migrations pending", "orchestra migrate");
    }
}
