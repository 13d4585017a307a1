package io.orchestra.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.server.auth.ApiKey;
import io.orchestra.server.auth.ApiKeyStore;
import io.orchestra.server.auth.KeyGrant;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code orchestra keys create} takes what POST /api/keys takes (allowed models, an expiry as a
 * duration or an instant, tags), judged by the same rules, against a real SQLite file; the key it
 * makes authenticates with that grant.
 */
class KeysCommandTest {
    @TempDir
    Path dataDir;

    @BeforeEach
    void configure() {
        System.setProperty("orchestra.data-dir", dataDir.toString());
        System.setProperty("orchestra.port", "0");
    }

    @AfterEach
    void clear() {
        System.clearProperty("orchestra.data-dir");
        System.clearProperty("orchestra.port");
    }

    static String group(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as(text).isTrue();
        return m.group(1);
    }

    @Test
    void aKeyWithModelsAnExpiryAndTagsIsMadeAndEnforced() {
        Instant before = Instant.now();
        CliTest.Run created = CliTest.run(
                "keys",
                "create",
                "--name",
                "ci-bot",
                "--owner",
                "team-a",
                "--model",
                "chat",
                "--model",
                "persona:*",
                "--duration",
                "30d",
                "--tag",
                "ci");
        assertThat(created.exitCode()).as(created.err()).isZero();
        assertThat(created.out()).contains("models: chat, persona:*").contains("expires: ");
        String id = group(created.out(), "key (key_\\w+)");
        String secret = group(created.out(), "secret \\(shown only once\\): (orc_\\S+)");

        ApiKey key = CliDatabase.with(
                db -> new ApiKeyStore(db, Clock.systemUTC()).find(id).orElseThrow());
        assertThat(key.models()).containsExactly("chat", "persona:*");
        assertThat(key.tags()).containsExactly("ci");
        assertThat(key.owner()).isEqualTo("team-a");
        assertThat(key.expiresAt())
                .isBetween(
                        before.plus(Duration.ofDays(30)).minusSeconds(1),
                        Instant.now().plus(Duration.ofDays(30)));

        KeyGrant grant = CliDatabase.with(db -> {
            ApiKeyStore store = new ApiKeyStore(db, Clock.systemUTC());
            assertThat(store.authenticate(secret)).isPresent();
            return store.grant(id);
        });
        assertThat(grant.allows("chat")).isTrue();
        assertThat(grant.allows("persona:sophia")).isTrue();
        assertThat(grant.allows("gpt-4o")).isFalse();

        CliTest.Run listed = CliTest.run("keys", "list");
        assertThat(listed.out())
                .contains("chat,persona:*")
                .contains(key.expiresAt().toString());
    }

    @Test
    void anExpiryInstantIsTakenAndAPastOneRefused() {
        CliTest.Run created =
                CliTest.run("keys", "create", "--name", "until-2099", "--expires-at", "2099-01-31T00:00:00Z");
        assertThat(created.exitCode()).as(created.err()).isZero();
        assertThat(created.out()).contains("expires: 2099-01-31T00:00:00Z");

        CliTest.Run past = CliTest.run("keys", "create", "--name", "late", "--expires-at", "2020-01-01T00:00:00Z");
        assertThat(past.exitCode()).isEqualTo(2);
        assertThat(past.err()).contains("expires_at: must be in the future");

        CliTest.Run both = CliTest.run(
                "keys", "create", "--name", "both", "--duration", "1d", "--expires-at", "2099-01-31T00:00:00Z");
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("not both");

        CliTest.Run badDuration = CliTest.run("keys", "create", "--name", "bad", "--duration", "soon");
        assertThat(badDuration.exitCode()).isEqualTo(2);
        assertThat(badDuration.err()).contains("duration:");
        assertThat(CliTest.run("keys", "list").out()).doesNotContain("late").doesNotContain(" both ");
    }
}
