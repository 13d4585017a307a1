package io.orchestra.infra;

import java.util.List;
import java.util.Properties;

/**
 * One environment's facts from deploy/versions.properties: the same values the Cloud Run files, the Kubernetes
 * overlays and `orchestra config diff` are checked against, plus what the stack provisions for it.
 */
record Environment(
        String name,
        String stack,
        String service,
        int minInstances,
        int maxInstances,
        boolean publicAccess,
        boolean redisRequired,
        String region,
        String registry,
        String sqlVersion,
        String sqlTier,
        boolean sqlHighAvailability,
        String redisVersion,
        String redisTier) {
    static final List<String> NAMES = List.of("dev", "staging", "prod");

    static Environment of(Properties pins, String env) {
        String[] replicas = pin(pins, env + ".replicas").split("-", 2);
        return new Environment(
                env,
                pin(pins, env + ".stack"),
                pin(pins, env + ".service"),
                Integer.parseInt(replicas[0]),
                Integer.parseInt(replicas[1]),
                bool(pins, env + ".public"),
                bool(pins, env + ".redis"),
                pin(pins, "gcp.region"),
                pin(pins, env + ".registry"),
                pin(pins, "gcp.sql.version"),
                pin(pins, env + ".sql.tier"),
                bool(pins, env + ".sql.ha"),
                pin(pins, "gcp.redis.version"),
                pin(pins, env + ".redis.tier"));
    }

    /** The environment whose stack is {@code stack} (development, staging, production). */
    static Environment forStack(Properties pins, String stack) {
        for (String env : NAMES) {
            if (stack.equals(pin(pins, env + ".stack"))) {
                return of(pins, env);
            }
        }
        throw new IllegalArgumentException(
                "stack " + stack + " is none of the environments' stacks in " + DeployFiles.PINS + " ("
                        + NAMES.stream().map(e -> pin(pins, e + ".stack")).toList() + ")");
    }

    /** The runtime service account's id (at most 30 characters). */
    String runtimeAccountId() {
        return "orchestra-run-" + name;
    }

    String ciAccountId() {
        return "orchestra-ci-" + name;
    }

    /** Network, subnetwork, database and Redis instance share the environment's name. */
    String resourceName() {
        return "orchestra-" + name;
    }

    private static String pin(Properties pins, String key) {
        String value = pins.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(DeployFiles.PINS + " has no " + key);
        }
        return value.strip();
    }

    private static boolean bool(Properties pins, String key) {
        String value = pin(pins, key);
        if (!value.equals("true") && !value.equals("false")) {
            throw new IllegalStateException(DeployFiles.PINS + ": " + key + " must be true or false, not " + value);
        }
        return Boolean.parseBoolean(value);
    }
}
