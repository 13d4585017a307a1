package io.orchestra.server.http;

import io.orchestra.server.fuzz.Fuzz;
import io.orchestra.server.gateway.RouteAdminRoutes.LimitsRequest;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import tools.jackson.databind.JsonNode;

/** Every route's body parser: a JSON tree (most routes) or a typed record; only a 4xx problem may come out. */
class BodiesFuzzTest {
    private static final List<String> SEEDS = Fuzz.corpus("bodies");
    private static final List<Class<?>> TYPES = List.of(JsonNode.class, LimitsRequest.class);

    @Provide
    Arbitrary<String> bodies() {
        return Fuzz.json(SEEDS);
    }

    @Provide
    Arbitrary<Class<?>> types() {
        return Arbitraries.of(TYPES);
    }

    @Property(seed = Fuzz.SEED)
    void aBodyParsesOrIsA4xx(@ForAll("types") Class<?> type, @ForAll("bodies") String body) {
        Fuzz.expectProblem("bodies", body, () -> Bodies.parse(body, type));
    }

    @Example
    void corpusReplays() {
        for (Class<?> type : TYPES) {
            SEEDS.forEach(body -> Fuzz.expectProblem("bodies", body, () -> Bodies.parse(body, type)));
        }
    }
}
