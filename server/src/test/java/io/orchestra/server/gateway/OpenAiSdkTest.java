package io.orchestra.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.models.Model;
import io.orchestra.server.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The official OpenAI Java SDK pointed at Orchestra: what users will do. */
class OpenAiSdkTest {
    static GatewayFixture fixture;
    static OpenAIClient client;

    @BeforeAll
    static void start() {
        fixture = new GatewayFixture(TestServer.Storage.SQLITE, Map.of());
        String key = fixture.server.createKey("sdk", "member", "sdk-user");
        client = OpenAIOkHttpClient.builder()
                .baseUrl(fixture.server.baseUrl() + "/v1")
                .apiKey(key)
                .maxRetries(0)
                .build();
    }

    @AfterAll
    static void stop() {
        client.close();
        fixture.close();
    }

    static ChatCompletionCreateParams params(String model) {
        return ChatCompletionCreateParams.builder()
                .model(model)
                .addSystemMessage("Be brief.")
                .addUserMessage("Say hello")
                .build();
    }

    @Test
    void chatCompletion() {
        ChatCompletion completion = client.chat().completions().create(params("chat"));
        assertThat(completion.choices().get(0).message().content()).contains("Hello from the fake (gpt-4o-mini)");
        assertThat(completion.usage().orElseThrow().totalTokens()).isEqualTo(20);
    }

    @Test
    void chatCompletionTranslatedFromAnthropic() {
        ChatCompletion completion = client.chat().completions().create(params("fallback"));
        assertThat(completion.choices().get(0).message().content()).contains("Hello from Claude");
        assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    }

    @Test
    void streamingFromOpenAiAndFromAnthropic() {
        for (String alias : List.of("chat", "claude-stream-error", "stream-error")) {
            StringBuilder text = new StringBuilder();
            try (StreamResponse<ChatCompletionChunk> stream =
                    client.chat().completions().createStreaming(params(alias))) {
                stream.stream()
                        .forEach(chunk ->
                                chunk.choices().forEach(c -> c.delta().content().ifPresent(text::append)));
            }
            assertThat(text.toString()).as(alias).isIn("Hello from the fake", "Hello from Claude");
        }
    }

    @Test
    void toolCallsBothWays() {
        FunctionDefinition weather = FunctionDefinition.builder()
                .name("get_weather")
                .description("Current weather")
                .parameters(FunctionParameters.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .build())
                .build();
        for (String alias : List.of("tools", "claude-tools")) {
            ChatCompletion completion = client.chat()
                    .completions()
                    .create(ChatCompletionCreateParams.builder()
                            .model(alias)
                            .addUserMessage("Weather in Paris?")
                            .addFunctionTool(weather)
                            .build());
            ChatCompletionMessageFunctionToolCall call = completion
                    .choices()
                    .get(0)
                    .message()
                    .toolCalls()
                    .orElseThrow()
                    .get(0)
                    .asFunction();
            assertThat(call.function().name()).as(alias).isEqualTo("get_weather");
            assertThat(call.function().arguments()).as(alias).contains("Paris");
            assertThat(completion.choices().get(0).finishReason())
                    .isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        }
        var sent = fixture.upstream.requests.getLast();
        assertThat(sent.path("tools").get(0).path("name").asString()).isEqualTo("get_weather");
        assertThat(sent.path("tools").get(0).path("input_schema").path("type").asString())
                .isEqualTo("object");
    }

    @Test
    void embeddingsDecodeFromTheDefaultBase64() {
        CreateEmbeddingResponse response = client.embeddings()
                .create(EmbeddingCreateParams.builder()
                        .model("embed")
                        .input("hello")
                        .build());
        assertThat(response.data().get(0).embedding()).containsExactly(0.25f, -0.5f, 0.125f, 1.0f);
    }

    @Test
    void modelsList() {
        assertThat(client.models().list().data().stream().map(Model::id).toList())
                .contains("chat", "embed", "fallback");
    }

    @Test
    void modelsRetrieveFindsAliasesAndProviderModelNames() {
        Model alias = client.models().retrieve("chat");
        assertThat(alias.id()).isEqualTo("chat");
        assertThat(alias.ownedBy()).isEqualTo("orchestra");
        // The SDK sends the slash percent-encoded (/v1/models/openai%2Fgpt-4o-mini).
        Model direct = client.models().retrieve("openai/gpt-4o-mini");
        assertThat(direct.id()).isEqualTo("openai/gpt-4o-mini");
        assertThat(direct.ownedBy()).isEqualTo("openai");
        assertThatThrownBy(() -> client.models().retrieve("no-such-model")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> client.models().retrieve("openai/no-such-model"))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void errorsMapToTheSdkExceptions() {
        assertThatThrownBy(() -> client.chat().completions().create(params("no-such-model")))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> client.chat().completions().create(params("bad")))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("Invalid value for 'messages'");
        OpenAIClient anonymous = OpenAIOkHttpClient.builder()
                .baseUrl(fixture.server.baseUrl() + "/v1")
                .apiKey("orc_wrong")
                .maxRetries(0)
                .build();
        assertThatThrownBy(() -> anonymous.models().list()).isInstanceOf(UnauthorizedException.class);
        anonymous.close();
    }
}
