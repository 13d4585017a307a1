package io.orchestra.server.http;

import io.orchestra.server.TestServer;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Requests Jetty refuses before any route runs still get the route family's error shape, not HTML. */
class JettyErrorsTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(TestServer.Storage.SQLITE);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "/api/sessions/%00",
                "/ready/..;/api/health",
                "/api/%ZZ",
                "/api/sessions/%",
                "/api/sessions/%2",
                "/api/keys/%2F..%2F",
                "/api/..%2F..%2Fetc/passwd",
                "/ui/%00",
                "/health;/..;/x",
                "/api/sessions/%C0%AF",
                "/v1/..;/api/keys"
            })
    void answersInTheRouteShape(String target) {
        HttpResponse<String> response = RawHttp.get(server.orchestra().port(), target);
        String family = target.startsWith("/v1/") ? "/v1/" : "/api/";
        ErrorShape.assertError(family, response);
    }
}
