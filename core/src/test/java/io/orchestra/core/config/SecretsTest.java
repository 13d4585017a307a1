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

    @Test
    void maskTextKeepsPrefixesAndHidesCredentialsInProse() {
        assertThat(Secrets.maskText("key sk-proj-abcdefghijklmnop and orc_0123456789abcdefXYZ"))
                .isEqualTo("key sk-**** and orc_****");
        assertThat(Secrets.maskText("Authorization: Bearer eyabc.def-ghi_jkl")).isEqualTo("Authorization: Bearer ****");
        assertThat(Secrets.maskText("my password: hunter2, ok")).isEqualTo("my password=****, ok");
        assertThat(Secrets.maskText("AKIAIOSFODNN7EXAMPLE")).isEqualTo("AKIA****");
        assertThat(Secrets.maskText("a risk-free task-management plan, max_tokens: 20"))
                .isEqualTo("a risk-free task-management plan, max_tokens: 20");
        assertThat(Secrets.maskText("-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----"))
                .isEqualTo("-----PRIVATE KEY ****-----");
    }
}
