package io.orchestra.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.config.OrchestraConfig.DatabaseSettings;
import io.orchestra.core.storage.Database;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaTest {
    @TempDir
    Path dir;

    @Test
    void versionsAreEveryModulesMigrations() {
        try (Database db = Database.open(
                new DatabaseSettings("jdbc:sqlite:" + dir.resolve("s.db"), Optional.empty(), Optional.empty(), 2),
                "schema-test")) {
            db.migrate();
            var known = Arrays.stream(Flyway.configure()
                            .dataSource(db.dataSource())
                            .locations("classpath:db/migration")
                            .load()
                            .info()
                            .all())
                    .map(m -> m.getVersion().getVersion())
                    .collect(Collectors.toSet());
            assertThat(Schema.VERSIONS)
                    .as("list each new migration in Schema.VERSIONS")
                    .isEqualTo(known);
        }
    }
}
