package io.orchestra.core.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.config.OrchestraConfig.DatabaseSettings;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A restart on a current schema skips Flyway; anything else runs it. (core's own migrations are V1 and V2.) */
class DatabaseMigrationTest {
    private static final Set<String> CORE = Set.of("1", "2", "3");

    @TempDir
    Path dir;

    Database open() {
        return Database.open(
                new DatabaseSettings("jdbc:sqlite:" + dir.resolve("m.db"), Optional.empty(), Optional.empty(), 2),
                "migration-test");
    }

    @Test
    void aNewDatabaseIsMigratedAndACurrentOneIsNotTouched() {
        try (Database db = open()) {
            assertThat(db.migratedByThisProcess()).isFalse();
            assertThat(db.migrateUnlessApplied(CORE)).isEqualTo(3);
            assertThat(db.migratedByThisProcess()).isTrue();
        }
        try (Database restarted = open()) {
            assertThat(restarted.migrateUnlessApplied(CORE)).isZero();
            assertThat(restarted.migratedByThisProcess()).isTrue();
            assertThat(restarted.isMigrated()).isTrue();
        }
    }

    @Test
    void aSchemaBehindTheExpectedVersionRunsFlyway() {
        try (Database db = open()) {
            org.flywaydb.core.Flyway.configure()
                    .dataSource(db.dataSource())
                    .locations("classpath:db/migration")
                    .target("1")
                    .load()
                    .migrate();
            assertThat(db.isMigrated()).isFalse();
            assertThat(db.migrateUnlessApplied(CORE)).isEqualTo(2);
            assertThat(db.isMigrated()).isTrue();
        }
    }

    @Test
    void aMigrationNumberedBelowTheNewestAppliedIsStillApplied() throws Exception {
        try (Database db = open()) {
            db.migrate();
            try (var c = db.dataSource().getConnection();
                    var s = c.createStatement()) {
                // As if V2 came later than V3 (modules number in their own ranges): it must run, out of order.
                s.execute("DELETE FROM flyway_schema_history WHERE version = '2'");
                s.execute("DROP TABLE jobs");
            }
        }
        try (Database again = open()) {
            assertThat(again.migrateUnlessApplied(CORE)).isEqualTo(1);
            assertThat(again.isMigrated()).isTrue();
        }
    }

    @Test
    void aFailedLastMigrationIsNotTakenAsCurrent() throws Exception {
        try (Database db = open()) {
            db.migrate();
            try (var c = db.dataSource().getConnection();
                    var s = c.createStatement()) {
                s.execute("UPDATE flyway_schema_history SET success = 0 WHERE version = '2'");
            }
            try (Database again = open()) {
                // Flyway itself then reports the failed migration instead of the fast path hiding it.
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> again.migrateUnlessApplied(CORE))
                        .hasMessageContaining("failed");
            }
        }
    }
}
