package io.orchestra.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.orchestra.core.json.Json;
import io.orchestra.server.TestServer;
import io.orchestra.server.agents.ServedRoutes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Keys page in Chromium: a key made with an expiry, allowed models and tags; revoking asks first
 * (and says so when it is the key you are signed in with), and the last active admin key is refused.
 */
class UiKeysBrowserTest {
    private static TestServer server;
    private static Chromium chromium;

    @BeforeAll
    static void start() {
        chromium = Chromium.start();
        server = TestServer.start(TestServer.Storage.SQLITE, Map.of(), ServedRoutes.YAML);
    }

    @AfterAll
    static void stop() {
        if (chromium != null) {
            chromium.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static Locator button(Page page, String name) {
        return page.getByRole(
                AriaRole.BUTTON, new Page.GetByRoleOptions().setName(name).setExact(true));
    }

    @Test
    void keysCarryAGrantAndRevokingIsConfirmedAndNeverLeavesNoAdmin() {
        BrowserPages pages = new BrowserPages(chromium.browser(), server.baseUrl());
        BrowserContext context = pages.context(new Browser.NewContextOptions().setViewportSize(1400, 900));
        Page page = pages.signIn(context, TestServer.ADMIN_KEY);

        page.navigate(server.baseUrl() + "/ui/keys");
        page.getByLabel("Name").fill("ci-bot");
        page.locator("#models").fill("default, persona:*");
        page.locator("#expires").fill("2999-01-31");
        page.locator("#tags").fill("ci, nightly");
        page.locator("form.create button").click();
        String secret = page.locator("#new-secret").inputValue();
        // The secret fits its box beside the Copy button, which puts it on the clipboard.
        assertThat((Boolean) page.locator("#new-secret").evaluate("e => e.scrollWidth <= e.clientWidth"))
                .as("the whole secret is visible")
                .isTrue();
        context.grantPermissions(List.of("clipboard-read", "clipboard-write"));
        page.locator("button[data-copy=new-secret]").click();
        page.locator(".copy-status", new Page.LocatorOptions().setHasText("Copied"))
                .waitFor();
        assertThat(page.evaluate("navigator.clipboard.readText()")).isEqualTo(secret);
        Locator row = page.locator("tbody tr", new Page.LocatorOptions().setHasText("ci-bot"));
        assertThat(row.locator(".models").textContent()).isEqualTo("default, persona:*");
        assertThat(row.locator(".expires").textContent()).isEqualTo("2999-01-31T00:00:00Z");
        assertThat(row.locator(".tags").textContent()).isEqualTo("ci, nightly");
        List<String> models = new ArrayList<>();
        Json.tree(server.get("/v1/models", secret).body())
                .path("data")
                .forEach(m -> models.add(m.path("id").asString()));
        assertThat(models).containsExactly("default");

        // Revoking asks first: dismissed, nothing happens; accepted, the key is revoked.
        List<String> asked = new ArrayList<>();
        page.onceDialog(dialog -> {
            asked.add(dialog.message());
            dialog.dismiss();
        });
        button(page, "Revoke ci-bot").click();
        page.waitForCondition(() -> !asked.isEmpty());
        assertThat(asked.getLast()).isEqualTo("Revoke the key ci-bot? Clients using it stop working at once.");
        assertThat(server.get("/v1/models", secret).statusCode()).isEqualTo(200);
        page.onceDialog(dialog -> dialog.accept());
        button(page, "Revoke ci-bot").click();
        page.waitForURL("**/ui/keys?revoked=ci-bot");
        assertThat(page.locator("[role=status]").textContent()).contains("Revoked the key ci-bot");
        assertThat(page.locator("tbody tr", new Page.LocatorOptions().setHasText("ci-bot"))
                        .locator(".status")
                        .textContent()
                        .strip())
                .isEqualTo("revoked");
        assertThat(server.get("/v1/models", secret).statusCode()).isEqualTo(401);

        // The signed-in key is the only admin key: the page says whose it is, and the server refuses.
        page.onceDialog(dialog -> {
            asked.add(dialog.message());
            dialog.accept();
        });
        button(page, "Revoke admin (configured)").click();
        page.waitForURL("**/ui/keys?refused=*");
        assertThat(asked.getLast()).startsWith("This is the key you are signed in with: revoking it signs you out.");
        assertThat(page.locator("[role=alert]").textContent())
                .contains("Not revoked")
                .contains("last active admin key");
        assertThat(server.get("/api/keys", TestServer.ADMIN_KEY).statusCode()).isEqualTo(200);
        pages.closeAndCheck();
    }
}
