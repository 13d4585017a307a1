package io.orchestra.gateway;

import io.orchestra.core.json.Json;
import io.orchestra.server.fuzz.Fuzz;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** The /v1 request checks done before any upstream call: a 400 in OpenAI's terms, never anything else. */
class RequestValidatorFuzzTest {
    private static final List<String> SEEDS = Fuzz.corpus("v1-chat");

    @Provide
    Arbitrary<String> requests() {
        return Fuzz.json(SEEDS);
    }

    @Property(seed = Fuzz.SEED)
    void aChatRequestIsValidOrA400(@ForAll("requests") String body) {
        check(body);
    }

    @Example
    void corpusReplays() {
        SEEDS.forEach(RequestValidatorFuzzTest::check);
    }

    private static void check(String body) {
        JsonNode request;
        try {
            request = Json.mapper().readTree(body);
        } catch (JacksonException e) {
            return; // the route's body parser answers these (BodiesFuzzTest)
        }
        if (request != null && request.isObject()) {
            Fuzz.expectProblem("v1-chat", body, () -> RequestValidator.chat(request));
        }
    }
}
