package io.orchestra.server.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.json.Json;
import io.orchestra.server.TestServer;
import io.orchestra.server.http.ErrorShape;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The typed request parsing behind every JSON route, end to end: mutated bodies sent to a running
 * server. Each answer is a success or a 4xx in the route's error shape, and leaks nothing.
 */
class RouteBodiesFuzzTest {
    private static final List<String> SEEDS =
            Fuzz.concat(Fuzz.corpus("bodies"), Fuzz.corpus("v1-chat"), Fuzz.corpus("mcp"));
    private static TestServer server;
    private static List<String[]> routes;

    @BeforeContainer
    static void start() {
        server = TestServer.start(TestServer.Storage.SQLITE, Map.of("orchestra.http.max-body-bytes", "262144"));
        String keyId = Json.tree(
                        server.post("/api/keys", TestServer.ADMIN_KEY, "{\"name\":\"fuzz\",\"role\":\"member\"}")
                                .body())
                .path("key")
                .path("id")
                .asString();
        routes = List.of(
                new String[] {"POST", "/api/keys"},
                new String[] {"PUT", "/api/keys/" + keyId + "/limits"},
                new String[] {"POST", "/api/personas"},
                new String[] {"PUT", "/api/personas/fuzz-persona"},
                new String[] {"POST", "/api/memory/memories"},
                new String[] {"PATCH", "/api/memory/memories/mem_fuzz"},
                new String[] {"POST", "/api/memory/graph/entities/delete"},
                new String[] {"POST", "/api/memory/graph/observations/delete"},
                new String[] {"POST", "/api/memory/graph/relations/delete"},
                new String[] {"POST", "/api/chat"},
                new String[] {"POST", "/api/teams/runs"},
                new String[] {"PUT", "/api/routes/fuzz"},
                new String[] {"POST", "/v1/chat/completions"},
                new String[] {"POST", "/v1/embeddings"},
                new String[] {"POST", "/mcp"});
    }

    @AfterContainer
    static void stop() {
        server.close();
    }

    @Provide
    Arbitrary<Integer> routes() {
        return Arbitraries.integers().between(0, routes.size() - 1);
    }

    @Provide
    Arbitrary<String> bodies() {
        return Fuzz.json(SEEDS);
    }

    @Property(seed = Fuzz.SEED)
    void everyRouteAnswersABodyOrA4xxInItsShape(@ForAll("routes") int route, @ForAll("bodies") String body) {
        send(routes.get(route), body);
    }

    @Example
    void corpusReplays() {
        for (String[] route : routes) {
            SEEDS.forEach(body -> send(route, body));
        }
    }

    private static void send(String[] route, String body) {
        String path = route[1];
        HttpResponse<String> response = server.send(server.request(path, TestServer.ADMIN_KEY)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .method(route[0], HttpRequest.BodyPublishers.ofString(body))
                .build());
        Fuzz.expectOnly("route-bodies", route[0] + " " + path + "\n" + body, () -> {
            assertThat(response.statusCode()).as(response.body()).isLessThan(500);
            if (response.statusCode() >= 400) {
                ErrorShape.assertError(path, response);
            } else {
                ErrorShape.assertNoLeak(response.body());
            }
        });
    }
}
