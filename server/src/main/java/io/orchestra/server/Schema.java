package io.orchestra.server;

import java.util.Set;

/**
 * Every migration version of all modules together. With it a restart on a current database costs one query instead
 * of Flyway's classpath scan; {@code SchemaTest} fails when a migration is added without listing it here.
 */
public final class Schema {
    public static final Set<String> VERSIONS = Set.of(
            "1", "2", "3", // core
            "10", "11", // gateway
            "20", "21", "22", "23", "25", // memory
            "30", "31", "32", "33", "34", "35", "37", // agents
            "36"); // memory (facts in time, numbered after the agents range)

    private Schema() {}
}
