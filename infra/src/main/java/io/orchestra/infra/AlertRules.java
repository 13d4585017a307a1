package io.orchestra.infra;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The Prometheus alert rules (deploy/prometheus/alerts.yml) that Cloud Monitoring policies mirror: each policy
 * takes its rule's threshold (the comparison that ends the expression) and its duration ({@code for}), so the
 * two alerting paths cannot drift apart.
 */
record AlertRules(Map<String, Rule> rules) {
    /** A rule's threshold and how long it must hold, in seconds (0 when the rule has no {@code for}). */
    record Rule(String name, String expr, double threshold, int forSeconds, String severity, String summary) {}

    private static final Pattern THRESHOLD = Pattern.compile("(?:>|==|<)\\s*([0-9.eE+-]+)\\s*$");
    private static final Pattern DURATION = Pattern.compile("(\\d+)([smh])");

    static AlertRules read(Path file) {
        JsonNode root = new YAMLMapper().readTree(file.toFile());
        Map<String, Rule> rules = new LinkedHashMap<>();
        for (JsonNode group : root.path("groups").values()) {
            for (JsonNode rule : group.path("rules").values()) {
                String expr = rule.path("expr").asString().strip();
                Matcher m = THRESHOLD.matcher(expr);
                if (!m.find()) {
                    throw new IllegalArgumentException(
                            file.getFileName() + ": " + rule.path("alert").asString() + " has no trailing threshold");
                }
                String name = rule.path("alert").asString();
                rules.put(
                        name,
                        new Rule(
                                name,
                                expr,
                                Double.parseDouble(m.group(1)),
                                seconds(rule.path("for").asString("")),
                                rule.path("labels").path("severity").asString(""),
                                rule.path("annotations").path("summary").asString("")));
            }
        }
        return new AlertRules(Map.copyOf(rules));
    }

    Rule rule(String name) {
        Rule rule = rules.get(name);
        if (rule == null) {
            throw new IllegalArgumentException("deploy/prometheus/alerts.yml has no rule " + name);
        }
        return rule;
    }

    private static int seconds(String duration) {
        if (duration.isEmpty()) {
            return 0;
        }
        Matcher m = DURATION.matcher(duration);
        if (!m.matches()) {
            throw new IllegalArgumentException("unsupported duration " + duration);
        }
        int n = Integer.parseInt(m.group(1));
        return switch (m.group(2)) {
            case "s" -> n;
            case "m" -> n * 60;
            default -> n * 3600;
        };
    }
}
