package io.orchestra.server.ui;

import io.javalin.http.Context;
import io.orchestra.core.json.Json;
import io.orchestra.gateway.config.RouteConfig;
import io.orchestra.gateway.config.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The route editor's fields as typed. {@link #toDefinition()} builds the JSON that PUT /api/routes/{alias}
 * takes, so the gateway's own parser judges the form; numbers that do not parse stay text so it names them.
 */
public record RouteForm(
        String alias,
        String strategy,
        String cacheTtlSeconds,
        String when,
        String whenName,
        String whenEquals,
        List<Row> targets) {
    /** Empty rows under the targets, so a fallback can be added without script. */
    static final int SPARE_ROWS = 2;

    /** One target as typed. */
    public record Row(String provider, String model, String weight, String timeoutMs) {
        static final Row EMPTY = new Row("", "", "", "");

        boolean blank() {
            return provider.isBlank() && model.isBlank() && weight.isBlank() && timeoutMs.isBlank();
        }
    }

    public static RouteForm empty() {
        return new RouteForm("", "fallback", "", "none", "", "", spare(new ArrayList<>()));
    }

    public static RouteForm of(RouteConfig route) {
        List<Row> rows = new ArrayList<>();
        for (Target t : route.targets()) {
            rows.add(new Row(t.provider(), t.model(), String.valueOf(t.weight()), String.valueOf(t.timeoutMillis())));
        }
        RouteConfig.Condition c = route.when();
        String when = c == null ? "none" : c.header() != null ? "header" : "key_tag";
        return new RouteForm(
                route.alias(),
                route.strategy(),
                route.cacheTtlSeconds() < 0 ? "" : String.valueOf(route.cacheTtlSeconds()),
                when,
                c == null ? "" : c.header() != null ? c.header() : c.keyTag(),
                c == null || c.equals() == null ? "" : c.equals(),
                spare(rows));
    }

    public static RouteForm from(Context ctx) {
        List<String> providers = ctx.formParams("provider");
        List<String> models = ctx.formParams("target_model");
        List<String> weights = ctx.formParams("weight");
        List<String> timeouts = ctx.formParams("timeout_ms");
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < providers.size(); i++) {
            Row row = new Row(providers.get(i).trim(), at(models, i), at(weights, i), at(timeouts, i));
            if (!row.blank()) {
                rows.add(row);
            }
        }
        return new RouteForm(
                text(ctx, "alias"),
                text(ctx, "strategy"),
                text(ctx, "cache_ttl_seconds"),
                text(ctx, "when"),
                text(ctx, "when_name"),
                text(ctx, "when_equals"),
                rows);
    }

    /** The same rows plus the spare empty ones, for showing the form again. */
    public RouteForm withSpareRows() {
        return new RouteForm(
                alias, strategy, cacheTtlSeconds, when, whenName, whenEquals, spare(new ArrayList<>(targets)));
    }

    public ObjectNode toDefinition() {
        ObjectNode node = Json.object();
        node.put("alias", alias);
        node.put("strategy", strategy);
        ArrayNode array = node.putArray("targets");
        for (Row row : targets) {
            ObjectNode target = array.addObject();
            target.put("provider", row.provider());
            target.put("model", row.model());
            number(target, "weight", row.weight());
            number(target, "timeout_ms", row.timeoutMs());
        }
        if (when.equals("header") || when.equals("key_tag")) {
            ObjectNode condition = node.putObject("when");
            condition.put(when, whenName);
            if (!whenEquals.isBlank()) {
                condition.put("equals", whenEquals);
            }
        }
        number(node, "cache_ttl_seconds", cacheTtlSeconds);
        return node;
    }

    private static void number(ObjectNode node, String field, String value) {
        if (value.isBlank()) {
            return;
        }
        try {
            node.put(field, Long.parseLong(value));
        } catch (NumberFormatException e) {
            node.put(field, value);
        }
    }

    private static List<Row> spare(List<Row> rows) {
        for (int i = 0; i < SPARE_ROWS; i++) {
            rows.add(Row.EMPTY);
        }
        return rows;
    }

    private static String at(List<String> values, int i) {
        return i < values.size() ? values.get(i).trim() : "";
    }

    private static String text(Context ctx, String field) {
        return Objects.requireNonNullElse(ctx.formParam(field), "").trim();
    }
}
