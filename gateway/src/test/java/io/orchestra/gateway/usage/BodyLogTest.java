package io.orchestra.gateway.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class BodyLogTest {
    static final UnaryOperator<String> NONE = UnaryOperator.identity();

    @Test
    void offKeepsNothing() {
        assertThat(BodyLog.OFF.render(Json.tree("{\"a\":1}"), NONE)).isNull();
    }

    @Test
    void secretFieldsAndCredentialsInTextAreMasked() {
        String rendered = new BodyLog(true, 10_000).render(Json.tree("""
                                {"api_key":"abc","password":"p","max_tokens":5,"nested":{"client_secret":{"x":1}},
                                 "messages":[{"role":"user","content":"use sk-abcdefghijklmnop1234 or orc_abcdefghijklmnopqrstu\
                                 with Authorization: Bearer abcdefgh12345678 and token=letmein123"}]}"""), NONE);
        assertThat(rendered)
                .contains("\"api_key\":\"****\"", "\"password\":\"****\"", "\"max_tokens\":5")
                .contains("\"client_secret\":\"****\"")
                .contains("sk-****", "orc_****", "Bearer ****", "token=****")
                .doesNotContain("abcdefghijklmnop1234", "abcdefgh12345678", "letmein123");
    }

    @Test
    void theProviderScrubRunsOnTheWholeBody() {
        String rendered = new BodyLog(true, 10_000)
                .render(
                        Json.tree("{\"echo\":\"key ABCD-provider-secret\"}"),
                        t -> t.replace("ABCD-provider-secret", "****"));
        assertThat(rendered).isEqualTo("{\"echo\":\"key ****\"}");
    }

    @Test
    void dataUrlsBecomeTheirTypeAndSize() {
        String base64 = java.util.Base64.getEncoder().encodeToString(new byte[1001]);
        String rendered = new BodyLog(true, 10_000)
                .render(Json.tree("{\"url\":\"data:image/jpeg;base64," + base64 + "\"}"), NONE);
        assertThat(rendered).isEqualTo("{\"url\":\"data:image/jpeg;base64,[1001 bytes]\"}");
    }

    @Test
    void aLongBodyIsCutBetweenCharactersWithItsFullSize() {
        String text = "é".repeat(1000); // two bytes each
        String cut = BodyLog.cut(text, 301);
        assertThat(cut).startsWith("é".repeat(150)).endsWith("… [cut: 2000 bytes in all]");
        assertThat(cut.substring(0, cut.indexOf('…')).getBytes(StandardCharsets.UTF_8))
                .hasSize(300);
        assertThat(BodyLog.cut("short", 301)).isEqualTo("short");
    }
}
