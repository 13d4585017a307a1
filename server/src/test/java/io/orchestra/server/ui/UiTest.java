package io.orchestra.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.server.TestServer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The admin UI over real HTTP against a real server: sign-in, sessions, CSRF, keys, overview. */
class UiTest {
    private static TestServer server;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        server = TestServer.start(
                TestServer.Storage.SQLITE, java.util.Map.of(), io.orchestra.server.agents.ServedRoutes.YAML);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A browser-like client: keeps the UI cookie and the page's CSRF token. */
    private static final class Browser {
        String session;
        String csrf;

        HttpResponse<String> get(String path) throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path));
            if (session != null) b.header("Cookie", UiGuard.COOKIE + "=" + session);
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            Matcher m = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(r.body());
            if (m.find()) csrf = m.group(1);
            return r;
        }

        HttpResponse<String> post(String path, String cookie, String form) throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form));
            if (cookie != null) b.header("Cookie", cookie);
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> login(String key) throws Exception {
            HttpResponse<String> form = get("/ui/login");
            String loginCookie =
                    form.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
            HttpResponse<String> r = post("/ui/login", loginCookie, "_csrf=" + csrf + "&key=" + enc(key));
            r.headers().allValues("Set-Cookie").stream()
                    .filter(c -> c.startsWith(UiGuard.COOKIE + "="))
                    .findFirst()
                    .ifPresent(c -> session = c.split(";")[0].substring(UiGuard.COOKIE.length() + 1));
            return r;
        }

        HttpResponse<String> submit(String path, String form) throws Exception {
            return post(path, UiGuard.COOKIE + "=" + session, "_csrf=" + csrf + "&" + form);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void badKeyIsRejectedAndGoodKeySignsIn() throws Exception {
        Browser b = new Browser();
        assertThat(b.get("/ui").statusCode()).isEqualTo(302);
        HttpResponse<String> bad = b.login("orc_not-a-real-key");
        assertThat(bad.statusCode()).isEqualTo(200);
        assertThat(bad.body()).contains("not valid");
        assertThat(b.session).isNull();
        HttpResponse<String> good = b.login(TestServer.ADMIN_KEY);
        assertThat(good.statusCode()).isEqualTo(302);
        assertThat(good.headers().allValues("Set-Cookie"))
                .anyMatch(c -> c.contains("HttpOnly") && c.contains("SameSite=Strict"));
        assertThat(b.get("/ui").statusCode()).isEqualTo(200);
    }

    @Test
    void loginWithoutTheFormTokenIsRefused() throws Exception {
        Browser b = new Browser();
        assertThat(b.post("/ui/login", null, "key=" + enc(TestServer.ADMIN_KEY)).statusCode())
                .isEqualTo(403);
    }

    @Test
    void overviewShowsHealthAndRealTraffic() throws Exception {
        for (int i = 0; i < 5; i++) {
            server.get("/api/keys", TestServer.ADMIN_KEY);
        }
        Browser b = new Browser();
        b.login(TestServer.ADMIN_KEY);
        String page = b.get("/ui").body();
        assertThat(page).contains("database").contains("Requests per minute").contains("<rect");
        Matcher total = Pattern.compile("(\\d+) requests").matcher(page);
        assertThat(total.find()).isTrue();
        assertThat(Integer.parseInt(total.group(1))).isGreaterThanOrEqualTo(5);
        assertThat(b.get("/ui/overview/panel?range=15").body())
                .contains("last 15 minutes")
                .doesNotContain("<html");
    }

    @Test
    void keyCreatedInTheUiWorksOverHttpUntilRevokedInTheUi() throws Exception {
        Browser b = new Browser();
        b.login(TestServer.ADMIN_KEY);
        b.get("/ui/keys");
        HttpResponse<String> created = b.submit("/ui/keys", "name=ui-made&role=admin&owner=");
        assertThat(created.statusCode()).isEqualTo(201);
        Matcher secret =
                Pattern.compile("id=\"new-secret\"|value=\"(orc_[^\"]+)\"").matcher(created.body());
        String key = null;
        while (secret.find()) if (secret.group(1) != null) key = secret.group(1);
        assertThat(key).isNotNull();
        assertThat(server.get("/api/keys", key).statusCode()).isEqualTo(200);
        assertThat(b.get("/ui/keys").body()).doesNotContain(key);

        Matcher id = Pattern.compile(
                        "action=\"/ui/keys/([^/\"]+)/revoke\"><input type=\"hidden\" name=\"_csrf\" value=\"[^\"]+\"><button type=\"submit\" aria-label=\"Revoke ui-made\"")
                .matcher(b.get("/ui/keys").body());
        assertThat(id.find()).isTrue();
        assertThat(b.submit("/ui/keys/" + id.group(1) + "/revoke", "").statusCode())
                .isEqualTo(302);
        assertThat(server.get("/api/keys", key).statusCode()).isEqualTo(401);
    }

    @Test
    void invalidKeyFormShowsTheProblems() throws Exception {
        Browser b = new Browser();
        b.login(TestServer.ADMIN_KEY);
        b.get("/ui/keys");
        HttpResponse<String> r = b.submit("/ui/keys", "name=&role=root");
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.body()).contains("name: required").contains("role: must be");
    }

    @Test
    void memberSeesNoAdminPagesAndNoTraffic() throws Exception {
        String member = server.createKey("member-ui", "member", "alice");
        Browser b = new Browser();
        b.login(member);
        String overview = b.get("/ui").body();
        assertThat(overview).contains("database").doesNotContain("/ui/keys").doesNotContain("Requests per minute");
        assertThat(b.get("/ui/keys").statusCode()).isEqualTo(403);
        assertThat(b.submit("/ui/keys", "name=x&role=admin").statusCode()).isEqualTo(403);
    }

    @Test
    void forgedPostWithoutCsrfTokenIsRejected() throws Exception {
        Browser b = new Browser();
        b.login(TestServer.ADMIN_KEY);
        HttpResponse<String> forged = b.post("/ui/keys", UiGuard.COOKIE + "=" + b.session, "name=evil&role=admin");
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(b.get("/ui/keys").body()).doesNotContain("evil");
    }

    @Test
    void signOutEndsTheSession() throws Exception {
        Browser b = new Browser();
        b.login(TestServer.ADMIN_KEY);
        b.get("/ui");
        assertThat(b.submit("/ui/logout", "").statusCode()).isEqualTo(302);
        assertThat(b.get("/ui").statusCode()).isEqualTo(302);
    }

    @Test
    void assetsAreServedFromTheJarWithLongCacheHeaders() throws Exception {
        HttpResponse<String> htmx = new Browser().get("/ui/assets/htmx-2.0.4.min.js");
        assertThat(htmx.statusCode()).isEqualTo(200);
        assertThat(htmx.headers().firstValue("Cache-Control").orElseThrow()).contains("max-age=31536000");
        assertThat(htmx.body()).contains("htmx");
    }

    @Test
    void anAdminsPlaygroundOffersOnlyItsOwnAndTheDeploymentsPersonasAndReachesAMembersByOwner() throws Exception {
        String uma = server.createKey("uma", "member", "uma");
        String definition = "{\"id\":\"%s\",\"name\":\"%s\",\"description\":\"d\",\"system_prompt\":\"p\","
                + "\"model\":\"default\"}";
        assertThat(server.post("/api/personas", uma, definition.formatted("umas-pal", "Uma's pal"))
                        .statusCode())
                .isEqualTo(201);
        assertThat(server.post("/api/personas", TestServer.ADMIN_KEY, definition.formatted("deploy-pal", "Deploy pal"))
                        .statusCode())
                .isEqualTo(201);
        Browser admin = new Browser();
        admin.login(TestServer.ADMIN_KEY);

        String playground = admin.get("/ui/playground").body();
        assertThat(playground).contains("value=\"persona:deploy-pal\"").doesNotContain("umas-pal");

        // The management list shows Uma's persona, linked by its owner (the bare id names the admin's own or the
        // deployment's).
        String list = admin.get("/ui/personas").body();
        assertThat(list)
                .contains("href=\"/ui/personas/umas-pal?owner=uma\"")
                .contains("/ui/playground?target=persona:uma%2Fumas-pal");
        assertThat(admin.get("/ui/personas/umas-pal?owner=uma").body()).contains("Uma&#39;s pal");
        assertThat(admin.get("/ui/personas/umas-pal").body()).contains("<title>Persona not found");
        // Named explicitly, the playground offers it.
        assertThat(admin.get("/ui/playground?target=persona:uma%2Fumas-pal").body())
                .contains("value=\"persona:uma/umas-pal\"");
    }

    @Test
    void aKeyLimitedToSomeModelsIsOfferedAndServedOnlyThoseInThePlayground() throws Exception {
        HttpResponse<String> created = server.post(
                "/api/keys",
                TestServer.ADMIN_KEY,
                "{\"name\":\"lim\",\"role\":\"member\",\"owner\":\"lim\",\"models\":[\"persona:lim-pal\"]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String lim =
                io.orchestra.core.json.Json.tree(created.body()).path("secret").asString();
        String definition = "{\"id\":\"%s\",\"name\":\"%s\",\"description\":\"d\",\"system_prompt\":\"p\","
                + "\"model\":\"default\"}";
        assertThat(server.post("/api/personas", lim, definition.formatted("lim-pal", "Lim's pal"))
                        .statusCode())
                .isEqualTo(201);
        assertThat(server.post("/api/personas", TestServer.ADMIN_KEY, definition.formatted("open-pal", "Open pal"))
                        .statusCode())
                .isEqualTo(201);
        Browser b = new Browser();
        b.login(lim);

        String playground = b.get("/ui/playground").body();
        assertThat(playground)
                .contains("value=\"persona:lim-pal\"")
                .doesNotContain("value=\"persona:open-pal\"")
                .doesNotContain("value=\"model:default\"");
        // Posted anyway, both are refused before any provider, as /v1 and /api/chat refuse them.
        String alias = b.submit("/ui/playground/chat", "target=model%3Adefault&message=hi")
                .body();
        assertThat(alias).contains("may not use the model 'default'").contains("\"status\":403");
        String persona = b.submit("/ui/playground/chat", "target=persona%3Aopen-pal&message=hi")
                .body();
        assertThat(persona).contains("may not use the persona 'open-pal'").contains("\"status\":403");
        // The refused alias chat is in the key's request log with its reason.
        server.orchestra().usageRecorder().flush();
        assertThat(server.get("/api/requests?status=403", lim).body()).contains("may not use the model 'default'");
    }
}
