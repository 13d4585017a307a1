package io.orchestra.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.config.OrchestraConfig.DatabaseSettings;
import io.orchestra.core.storage.Database;
import java.nio.file.Path;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaTest {
    @TempDir
    Path dir;

    @Test
    void latestIsTheNewestMigrationOfEveryModule() {
        try (Database db = Database.open(
                new DatabaseSettings("jdbc:sqlite:" + dir.resolve("s.db"), Optional.empty(), Optional.empty(), 2),
                "schema-test")) {
            db.migrate();
            var newest = Flyway.configure()
                    .dataSource(db.dataSource())
                    .locations("classpath:db/migration")
                    .load()
                    .info()
                    .current();
            assertThat(newest.getVersion().getVersion())
                    .as("raise Schema.LATEST with each new migration")
                    .isEqualTo(Schema.LATEST);
        }
    }
}
