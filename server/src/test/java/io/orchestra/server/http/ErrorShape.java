package io.orchestra.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.json.Json;
import java.net.http.HttpResponse;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/** The error shape each route family promises, checked on a real response: parsed, never searched as text. */
public final class ErrorShape {
    /** A Java class or package name in a body means an exception's text leaked to the caller. */
    public static final Pattern JAVA_NAME =
            Pattern.compile("\\b(java|jakarta|javax|org\\.eclipse|io\\.orchestra|tools\\.jackson|reactor)\\.[a-z]");

    private ErrorShape() {}

    /** Asserts {@code response} is an error in the shape of {@code path}'s family and leaks nothing; returns the body. */
    public static JsonNode assertError(String path, HttpResponse<String> response) {
        String body = response.body();
        assertThat(response.statusCode()).as(path + " " + body).isBetween(400, 499);
        assertNoLeak(body);
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        JsonNode json = Json.tree(body);
        if (path.startsWith("/v1/")) {
            assertThat(contentType).as(body).startsWith("application/json");
            assertThat(json.path("error").path("message").isString()).as(body).isTrue();
            assertThat(json.path("error").path("type").isString()).as(body).isTrue();
        } else if (path.equals("/mcp") || path.startsWith("/mcp?")) {
            assertThat(contentType).as(body).startsWith("application/json");
            assertThat(json.path("jsonrpc").asString()).as(body).isEqualTo("2.0");
            assertThat(json.has("id")).as(body).isTrue();
            assertThat(json.path("error").path("code").isInt()).as(body).isTrue();
            assertThat(json.path("error").path("code").asInt()).as(body).isIn(-32700, -32600, -32601, -32602);
            assertThat(json.path("error").path("message").isString()).as(body).isTrue();
        } else {
            assertThat(contentType).as(body).startsWith("application/problem+json");
            assertThat(json.path("type").asString()).as(body).startsWith("https://orchestra.dev/problems/");
            assertThat(json.path("status").asInt()).as(body).isEqualTo(response.statusCode());
            assertThat(json.path("title").isString()).as(body).isTrue();
            assertThat(json.path("detail").isString()).as(body).isTrue();
        }
        return json;
    }

    public static void assertNoLeak(String body) {
        assertThat(body).as(body).doesNotContain("stackTrace").doesNotContain("\tat ");
        assertThat(JAVA_NAME.matcher(body).find()).as(body).isFalse();
    }
}
