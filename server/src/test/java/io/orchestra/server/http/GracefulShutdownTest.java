package io.orchestra.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orchestra.core.config.ConfigLoader;
import io.orchestra.core.config.OrchestraConfig;
import io.orchestra.core.storage.Database;
import io.orchestra.server.auth.ApiKeyStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM path: stop accepting, let in-flight requests finish, then stop. */
class GracefulShutdownTest {
    @TempDir
    Path dir;

    @Test
    void finishesInFlightRequestsAndRefusesNewOnes() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        RouteGroup slow = routes -> routes.get(
                "/slow",
                ctx -> {
                    entered.countDown();
                    Thread.sleep(800);
                    ctx.result("done");
                },
                Access.PUBLIC);
        drains(List.of(slow), List.of(), entered);
    }

    /** /mcp is a servlet beside Javalin: draining waits for it just the same. */
    @Test
    void waitsForAMountedServletsRequestsToo() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        jakarta.servlet.http.HttpServlet servlet = new jakarta.servlet.http.HttpServlet() {
            @Override
            protected void doGet(
                    jakarta.servlet.http.HttpServletRequest req, jakarta.servlet.http.HttpServletResponse res)
                    throws IOException {
                entered.countDown();
                try {
                    Thread.sleep(800);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                res.getWriter().write("done");
            }
        };
        jakarta.servlet.Filter passThrough = (req, res, chain) -> chain.doFilter(req, res);
        drains(List.of(), List.of(new ServletMount("/slow", servlet, scope -> passThrough)), entered);
    }

    private void drains(List<RouteGroup> groups, List<ServletMount> servlets, CountDownLatch entered) throws Exception {
        OrchestraConfig config = new ConfigLoader(
                        dir,
                        Map.of(),
                        Map.of(
                                "orchestra.port",
                                "0",
                                "orchestra.host",
                                "127.0.0.1",
                                "orchestra.data-dir",
                                dir.toString(),
                                "orchestra.shutdown.grace-seconds",
                                "10"))
                .load();
        try (Database db = Database.open(config.database(), "shutdown-test")) {
            db.migrate();
            HttpServer server = new HttpServer(
                            config, new ApiKeyStore(db, Clock.systemUTC()), new SimpleMeterRegistry(), groups, servlets)
                    .start();
            URI slowUri = URI.create("http://127.0.0.1:" + server.port() + "/slow");
            HttpClient client = HttpClient.newHttpClient();
            CompletableFuture<HttpResponse<String>> inFlight =
                    client.sendAsync(HttpRequest.newBuilder(slowUri).build(), HttpResponse.BodyHandlers.ofString());
            entered.await();
            Thread stopper = Thread.ofVirtual().start(server::stop);
            Thread.sleep(200);

            HttpResponse<String> finished = inFlight.get();
            assertThat(finished.statusCode()).isEqualTo(200);
            assertThat(finished.body()).isEqualTo("done");
            assertThatThrownBy(() -> HttpClient.newHttpClient()
                            .send(HttpRequest.newBuilder(slowUri).build(), HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(IOException.class);
            stopper.join();
        }
    }
}
