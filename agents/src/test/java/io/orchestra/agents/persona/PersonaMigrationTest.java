package io.orchestra.agents.persona;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestra.core.auth.Principal;
import io.orchestra.core.auth.Role;
import io.orchestra.core.config.OrchestraConfig;
import io.orchestra.core.error.ProblemException;
import io.orchestra.core.json.Json;
import io.orchestra.core.storage.Database;
import io.orchestra.testkit.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * V35 (persona ids per owner) on a database that already holds personas written by the earlier
 * schema: every persona, version and soft delete survives, each history goes to its persona's owner.
 */
class PersonaMigrationTest {
    static Principal member(String owner) {
        return new Principal("k-" + owner, owner, Role.MEMBER, owner, List.of());
    }

    static Persona persona(String id, String description) {
        return new Persona(
                id,
                "P " + id,
                description,
                "prompt",
                "default",
                0.5,
                List.of("x"),
                new Persona.MemoryPolicy("persona", List.of(), true),
                List.of(),
                new Persona.SearchPreferences(List.of(), "balanced", 5),
                false);
    }

    static void legacy(Handle h, String owner, String id, String source, Long deletedAt, String... descriptions) {
        h.execute(
                "INSERT INTO personas (id, owner, source, version, created_at, updated_at, deleted_at)"
                        + " VALUES (?, ?, ?, ?, 1, 2, ?)",
                id,
                owner,
                source,
                descriptions.length,
                deletedAt);
        for (int i = 0; i < descriptions.length; i++) {
            h.execute(
                    "INSERT INTO persona_versions (persona_id, version, definition, author, created_at)"
                            + " VALUES (?, ?, ?, 'someone', 1)",
                    id,
                    i + 1,
                    Json.write(PersonaJson.write(persona(id, descriptions[i]))));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void existingPersonasAndHistoriesSurviveWithTheirOwners(String kind) throws Exception {
        TestPostgres.Fresh postgres = kind.equals("postgres") ? TestPostgres.freshDatabase() : null;
        Path dir = Files.createTempDirectory("persona-migration");
        String url = postgres != null ? postgres.jdbcUrl() : "jdbc:sqlite:" + dir.resolve("o.db");
        try (Database db = Database.open(
                new OrchestraConfig.DatabaseSettings(url, Optional.empty(), Optional.empty(), 4), "migration-test")) {
            Flyway.configure()
                    .dataSource(db.dataSource())
                    .locations("classpath:db/migration")
                    .target("34")
                    .load()
                    .migrate();
            db.jdbi().useHandle(h -> {
                legacy(h, "system", "sophia", "file", null, "shipped v1", "shipped v2");
                legacy(h, "bob", "bobs", "api", null, "bob v1");
                legacy(h, "carol", "gone", "api", 5L, "carol v1", "carol v2");
            });

            assertThat(db.migrate()).isGreaterThanOrEqualTo(1);

            PersonaStore store = new PersonaStore(db, Clock.systemUTC());
            Principal alice = member("alice");
            Principal bob = member("bob");
            Principal carol = member("carol");
            StoredPersona sophia = store.get(PersonaRef.parse("sophia"), alice);
            assertThat(sophia.system()).isTrue();
            assertThat(sophia.version()).isEqualTo(2);
            assertThat(store.versions(PersonaRef.parse("sophia"), alice))
                    .extracting(v -> v.persona().description())
                    .containsExactly("shipped v2", "shipped v1");
            assertThat(store.get(PersonaRef.parse("bobs"), bob).owner()).isEqualTo("bob");
            assertThatThrownBy(() -> store.get(PersonaRef.parse("bobs"), alice)).isInstanceOf(ProblemException.class);
            assertThat(store.fileDefined()).containsExactly("sophia");
            // The id is now free for another owner, and the deleted persona's owner continues its history.
            assertThat(store.create(persona("bobs", "alice's"), alice).version())
                    .isEqualTo(1);
            assertThat(store.create(persona("gone", "carol v3"), carol).version())
                    .isEqualTo(3);
            assertThat(store.versions(PersonaRef.parse("gone"), carol)).hasSize(3);
        } finally {
            if (postgres != null) {
                postgres.close();
            }
        }
    }
}
