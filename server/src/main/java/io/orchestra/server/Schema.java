package io.orchestra.server;

/**
 * The newest migration of all modules together. With it a restart on a current database costs one query instead
 * of Flyway's classpath scan; {@code SchemaTest} fails when a migration is added without raising it.
 */
public final class Schema {
    public static final String LATEST = "37";

    private Schema() {}
}
