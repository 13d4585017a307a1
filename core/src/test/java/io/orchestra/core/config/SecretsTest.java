package io.orchestra.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretsTest {
    @Test
    void masksPasswordsInUrlsAndQueryParameters() {
        assertThat(Secrets.maskUrl("postgresql://app:s3cret@db:5432/x")).isEqualTo("postgresql://app:****@db:5432/x");
        assertThat(Secrets.maskUrl("jdbc:postgresql://db/x?user=a&password=s3cret&ssl=true"))
                .isEqualTo("jdbc:postgresql://db/x?user=a&password=****&ssl=true");
        assertThat(Secrets.maskUrl("redis://:pw@cache:6379")).doesNotContain("pw@");
        assertThat(Secrets.maskUrl("https://api.example.com/v1")).isEqualTo("https://api.example.com/v1");
    }

    @Test
    void displayMasksSecretKeysFully() {
        assertThat(Secrets.display("orchestra.admin-key", "orc_abc")).isEqualTo("****");
        assertThat(Secrets.display("orchestra.db.password", "x")).isEqualTo("****");
        assertThat(Secrets.display("orchestra.providers.openai.api-key", "sk-123"))
                .isEqualTo("****");
        assertThat(Secrets.display("orchestra.port", "8000")).isEqualTo("8000");
    }
}
