package io.orchestra.server.doctor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The pinned versions and environment facts of {@code deploy/versions.properties}, bundled in the jar: the
 * one source that the deploy files are checked against (DriftTest), read here by the doctor and
 * {@code orchestra config diff}.
 */
public record Pins(Properties values) {
    /** One environment's deploy facts: instances (Cloud Run), public ingress, Redis required. */
    public record Environment(
            String name,
            String service,
            int minInstances,
            int maxInstances,
            boolean publicAccess,
            boolean redisRequired) {}

    private static final String RESOURCE = "/io/orchestra/server/versions.properties";

    public static Pins bundled() {
        try (InputStream in = Pins.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks " + RESOURCE + " (deploy/versions.properties)");
            }
            Properties values = new Properties();
            values.load(in);
            return new Pins(values);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String get(String key) {
        String value = values.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("deploy/versions.properties has no " + key);
        }
        return value.strip();
    }

    /** The JDK major that builds, tests and runs the images. */
    public int jdk() {
        return Integer.parseInt(get("jdk"));
    }

    /** The language level: the oldest JDK that builds and runs Orchestra. */
    public int javaRelease() {
        return Integer.parseInt(get("java.release"));
    }

    /** The Node.js major the test build needs at least. */
    public int node() {
        return Integer.parseInt(get("node"));
    }

    public Environment environment(String env) {
        String[] range = get(env + ".replicas").split("-", 2);
        return new Environment(
                env,
                get(env + ".service"),
                Integer.parseInt(range[0]),
                Integer.parseInt(range[1]),
                Boolean.parseBoolean(strictBoolean(env + ".public")),
                Boolean.parseBoolean(strictBoolean(env + ".redis")));
    }

    public boolean hasEnvironment(String env) {
        return values.containsKey(env + ".replicas");
    }

    private String strictBoolean(String key) {
        String value = get(key);
        if (!value.equals("true") && !value.equals("false")) {
            throw new IllegalStateException(
                    "deploy/versions.properties: " + key + " must be true or false, not " + value);
        }
        return value;
    }
}
