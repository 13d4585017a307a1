package io.orchestra.server.ui;

import io.javalin.router.JavalinDefaultRoutingApi;
import io.orchestra.gateway.usage.RequestRecord;
import io.orchestra.server.auth.ApiKey;
import io.orchestra.server.auth.ApiKeyStore;
import io.orchestra.server.gateway.RequestLog;
import io.orchestra.server.http.Access;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** /ui/requests: the gateway's request log, filtered and paged, and one request's detail. Members see their owner's rows. */
public final class RequestsPage implements UiPage {
    static final int PAGE_SIZE = 50;
    static final List<String> STATUSES = List.of("ok", "error", "400", "401", "404", "429", "500", "502", "504");

    private final RequestLog log;
    private final ApiKeyStore keys;
    private final Clock clock;

    public RequestsPage(RequestLog log, ApiKeyStore keys, Clock clock) {
        this.log = log;
        this.keys = keys;
        this.clock = clock;
    }

    @Override
    public String path() {
        return "/ui/requests";
    }

    @Override
    public String title() {
        return "Requests";
    }

    @Override
    public boolean adminOnly() {
        return false;
    }

    /** What the filter form holds, echoed back into it. */
    public record Filters(String key, String model, String status, String range, int page) {
        /** This filter's query string for another page. */
        public String query(int otherPage) {
            StringBuilder q = new StringBuilder("?range=").append(range);
            if (key != null) q.append("&key=").append(encode(key));
            if (model != null) q.append("&model=").append(encode(model));
            if (status != null) q.append("&status=").append(status);
            return q.append("&page=").append(otherPage).toString();
        }

        private static String encode(String s) {
            return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Override
    public void show(UiRequest request) {
        List<ApiKey> visible = OwnerScope.keysVisibleTo(keys, request.user());
        UiInput input = UiInput.query(request.ctx());
        String key = input.choice("key", "Key", visible.stream().map(ApiKey::id).toList(), null);
        String model = input.text("model", "Model", 200);
        String status = input.choice("status", "Status", STATUSES, null);
        String range = input.choice("range", "Time range", TimeRange.ids(TimeRange.LOG), "24h");
        int page = input.page();
        RequestLog.Filter filter = new RequestLog.Filter(
                key, model, status, TimeRange.of(TimeRange.LOG, range).from(clock.millis()), Long.MAX_VALUE);
        List<RequestRecord> rows = log.records(request.user(), filter, PAGE_SIZE + 1, (page - 1) * PAGE_SIZE);
        Map<String, Object> view = new HashMap<>();
        view.put("filters", new Filters(key, model, status, range, page));
        view.put("rows", rows.subList(0, Math.min(rows.size(), PAGE_SIZE)));
        view.put("more", rows.size() > PAGE_SIZE);
        view.put("keys", visible);
        view.put("keyNames", keyNames());
        view.put("statuses", STATUSES);
        view.put("ranges", TimeRange.LOG);
        view.put("errors", input.errors());
        request.page("requests.jte", title(), view);
    }

    @Override
    public void addActions(JavalinDefaultRoutingApi routes, UiGuard guard) {
        routes.get("/ui/requests/{id}", guard.signedIn(false, this::detail), Access.PUBLIC);
    }

    private void detail(UiRequest request) {
        String id = request.ctx().pathParam("id");
        Optional<RequestRecord> row = id.length() > 100 ? Optional.empty() : log.find(id, request.user());
        if (row.isEmpty()) {
            UiNotice.notFound(
                    request,
                    "Request not found",
                    "There is no request with this id that you may see.",
                    "/ui/requests",
                    "the request log");
            return;
        }
        request.page("request.jte", "Request", Map.of("r", row.get(), "keyNames", keyNames()));
    }

    private Map<String, String> keyNames() {
        return keys.list().stream().collect(Collectors.toMap(ApiKey::id, ApiKey::name, (a, b) -> a));
    }
}
