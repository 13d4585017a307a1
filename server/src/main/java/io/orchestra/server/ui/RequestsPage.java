package io.orchestra.server.ui;

import io.javalin.router.JavalinDefaultRoutingApi;
import io.orchestra.core.json.Json;
import io.orchestra.gateway.usage.AttemptRecord;
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

/**
 * /ui/requests: the gateway's request log, filtered and paged (a refused call shows its reason),
 * and one request's detail: its attempts, and its bodies when body logging is on. Members see
 * their owner's rows.
 */
public final class RequestsPage implements UiPage {
    static final int PAGE_SIZE = 50;
    static final List<String> STATUSES = List.of("ok", "error", "400", "401", "404", "429", "500", "502", "504");

    private final RequestLog log;
    private final ApiKeyStore keys;
    private final boolean bodyLogging;
    private final Clock clock;

    /** @param bodyLogging whether the gateway keeps bodies (the detail says how to turn it on when not) */
    public RequestsPage(RequestLog log, ApiKeyStore keys, boolean bodyLogging, Clock clock) {
        this.log = log;
        this.keys = keys;
        this.bodyLogging = bodyLogging;
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
        Optional<RequestLog.Detail> row = id.length() > 100 ? Optional.empty() : log.detail(id, request.user());
        if (row.isEmpty()) {
            UiNotice.notFound(
                    request,
                    "Request not found",
                    "There is no request with this id that you may see.",
                    "/ui/requests",
                    "the request log");
            return;
        }
        Map<String, Object> view = new HashMap<>();
        view.put("r", row.get().row());
        view.put("attempts", row.get().attempts());
        view.put("bodies", row.get().bodies());
        view.put("bodyLogging", bodyLogging);
        view.put("keyNames", keyNames());
        request.page("request.jte", "Request", view);
    }

    /** A refused or failed call's reason for its list row: the first sentence's worth, whole in the detail. */
    public static String reason(RequestRecord r) {
        if (r.status() < 400 || r.error() == null) {
            return null;
        }
        String error = r.error();
        return error.length() <= REASON_CHARS ? error : error.substring(0, REASON_CHARS - 1) + "…";
    }

    static final int REASON_CHARS = 90;

    /** What kind of refusal or failure a status is, in words. */
    public static String refusalKind(RequestRecord r) {
        if (r.attempts() > 0 || "cache".equals(r.provider())) {
            return "upstream failure";
        }
        return switch (r.status()) {
            case 400 -> "invalid request";
            case 403 -> "not allowed";
            case 404 -> "unknown model";
            case 429 -> "refused: limit or budget";
            case 502, 503, 504 -> "no provider answered";
            default -> "refused";
        };
    }

    /** An attempt's outcome in words. */
    public static String outcomeLabel(AttemptRecord a) {
        return switch (a.outcome()) {
            case OK -> "answered";
            case CONNECT -> "could not connect";
            case TIMEOUT -> "timed out";
            case STATUS -> "error status";
            case STREAM -> "stream failed";
            case CIRCUIT_OPEN -> "skipped: circuit open";
            case RATE_LIMITED -> "skipped: rate limited";
            case NOT_CONFIGURED -> "skipped: provider not configured";
        };
    }

    /** A stored body indented for reading; one cut at the size limit is no longer JSON and shows as stored. */
    public static String pretty(String body) {
        try {
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(Json.tree(body));
        } catch (RuntimeException e) {
            return body;
        }
    }

    private Map<String, String> keyNames() {
        return keys.list().stream().collect(Collectors.toMap(ApiKey::id, ApiKey::name, (a, b) -> a));
    }
}
