package io.orchestra.gateway.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.json.Json;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class TokenEstimateTest {
    @Test
    void estimatesThePromptPlusTheCompletionTheCallerAllows() {
        ObjectNode request = Json.object();
        request.putArray("messages").addObject().put("role", "user").put("content", "x".repeat(400));
        assertThat(TokenEstimate.chat(request, 1024)).isEqualTo(100 + 1024);
        request.put("max_tokens", 50);
        assertThat(TokenEstimate.chat(request, 1024)).isEqualTo(150);
        request.put("max_completion_tokens", 20);
        request.put("n", 3);
        assertThat(TokenEstimate.chat(request, 1024)).isEqualTo(160);
    }
}
