package io.orchestra.agents.persona;

import io.orchestra.core.auth.Principal;
import io.orchestra.core.error.ProblemException;
import io.orchestra.core.error.Validation;
import io.orchestra.core.json.Json;
import io.orchestra.core.storage.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Personas with full version history and soft delete. System personas (from files) are visible to
 * everyone and changed only by admins or their file; a member's personas are visible to its owner.
 */
public final class PersonaStore {
    private final Database database;
    private final Clock clock;

    public PersonaStore(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    public List<StoredPersona> list(Principal caller) {
        return database.jdbi()
                .withHandle(h -> h.createQuery("""
                        SELECT p.*, v.definition FROM personas p
                        JOIN persona_versions v ON v.persona_id = p.id AND v.version = p.version
                        WHERE p.deleted_at IS NULL AND (p.owner = :system OR p.owner = :owner OR :admin = 1)
                        ORDER BY p.id""")
                        .bind("system", StoredPersona.SYSTEM_OWNER)
                        .bind("owner", caller.owner())
                        .bind("admin", caller.isAdmin() ? 1 : 0)
                        .map((rs, ctx) -> stored(rs))
                        .list());
    }

    /** Every live persona regardless of owner (routing, file sync). */
    public List<StoredPersona> all() {
        return database.jdbi()
                .withHandle(h -> h.createQuery("""
                        SELECT p.*, v.definition FROM personas p
                        JOIN persona_versions v ON v.persona_id = p.id AND v.version = p.version
                        WHERE p.deleted_at IS NULL ORDER BY p.id""").map((rs, ctx) -> stored(rs)).list());
    }

    public StoredPersona get(String id, Principal caller) {
        return find(id).filter(p -> visible(p, caller))
                .orElseThrow(() -> ProblemException.notFound("no persona with id '" + id + "'"));
    }

    public Optional<StoredPersona> find(String id) {
        return database.jdbi().withHandle(h -> find(h, id));
    }

    private static Optional<StoredPersona> find(Handle h, String id) {
        return h.createQuery("""
                        SELECT p.*, v.definition FROM personas p
                        JOIN persona_versions v ON v.persona_id = p.id AND v.version = p.version
                        WHERE p.id = :id AND p.deleted_at IS NULL""").bind("id", id).map((rs, ctx) -> stored(rs)).findOne();
    }

    public StoredPersona create(Persona persona, Principal caller) {
        String owner = caller.isAdmin() ? StoredPersona.SYSTEM_OWNER : caller.owner();
        return database.jdbi().inTransaction(h -> {
            Optional<String> existingOwner = h.createQuery("SELECT owner FROM personas WHERE id = :id")
                    .bind("id", persona.id())
                    .mapTo(String.class)
                    .findOne();
            Integer deleted = h.createQuery("SELECT COUNT(*) FROM personas WHERE id = :id AND deleted_at IS NOT NULL")
                    .bind("id", persona.id())
                    .mapTo(Integer.class)
                    .one();
            if (existingOwner.isPresent() && deleted == 0) {
                throw ProblemException.conflict("a persona with id '" + persona.id() + "' already exists");
            }
            if (existingOwner.isPresent()) {
                // Re-creating a soft-deleted persona continues its history.
                if (!existingOwner.get().equals(owner) && !caller.isAdmin()) {
                    throw ProblemException.conflict("the id '" + persona.id() + "' is taken");
                }
                return writeVersion(h, persona, owner, "api", caller.keyName(), true);
            }
            long now = clock.millis();
            h.createUpdate("""
                            INSERT INTO personas (id, owner, source, version, created_at, updated_at)
                            VALUES (:id, :owner, 'api', 0, :now, :now)""")
                    .bind("id", persona.id())
                    .bind("owner", owner)
                    .bind("now", now)
                    .execute();
            return writeVersion(h, persona, owner, "api", caller.keyName(), false);
        });
    }

    public StoredPersona update(String id, Persona persona, Principal caller) {
        return database.jdbi().inTransaction(h -> {
            StoredPersona current = find(h, id)
                    .filter(p -> visible(p, caller))
                    .orElseThrow(() -> ProblemException.notFound("no persona with id '" + id + "'"));
            requireWritable(current, caller);
            return writeVersion(h, persona, current.owner(), current.source(), caller.keyName(), false);
        });
    }

    public void delete(String id, Principal caller) {
        database.jdbi().useTransaction(h -> {
            StoredPersona current = find(h, id)
                    .filter(p -> visible(p, caller))
                    .orElseThrow(() -> ProblemException.notFound("no persona with id '" + id + "'"));
            requireWritable(current, caller);
            h.createUpdate("UPDATE personas SET deleted_at = :now, updated_at = :now WHERE id = :id")
                    .bind("now", clock.millis())
                    .bind("id", id)
                    .execute();
        });
    }

    /** Soft-deletes a file-defined persona whose file was removed. */
    public void deleteFromFile(String id) {
        database.jdbi()
                .useHandle(h -> h.createUpdate(
                                "UPDATE personas SET deleted_at = :now WHERE id = :id AND source = 'file' AND deleted_at IS NULL")
                        .bind("now", clock.millis())
                        .bind("id", id)
                        .execute());
    }

    public List<PersonaVersion> versions(String id, Principal caller) {
        get(id, caller);
        return database.jdbi()
                .withHandle(h -> h.createQuery(
                                "SELECT * FROM persona_versions WHERE persona_id = :id ORDER BY version DESC")
                        .bind("id", id)
                        .map((rs, ctx) -> version(rs))
                        .list());
    }

    /**
     * Brings a file-defined persona into the store: a new version only when the definition
     * changed, so restarts do not grow the history. Revives a persona whose file came back.
     */
    public StoredPersona syncFromFile(Persona persona) {
        return database.jdbi().inTransaction(h -> {
            Optional<StoredPersona> current = find(h, persona.id());
            if (current.isPresent() && current.get().persona().equals(persona)) {
                return current.get();
            }
            boolean exists = h.createQuery("SELECT COUNT(*) FROM personas WHERE id = :id")
                            .bind("id", persona.id())
                            .mapTo(Integer.class)
                            .one()
                    > 0;
            if (!exists) {
                long now = clock.millis();
                h.createUpdate("""
                                INSERT INTO personas (id, owner, source, version, created_at, updated_at)
                                VALUES (:id, :owner, 'file', 0, :now, :now)""")
                        .bind("id", persona.id())
                        .bind("owner", StoredPersona.SYSTEM_OWNER)
                        .bind("now", now)
                        .execute();
            }
            return writeVersion(h, persona, StoredPersona.SYSTEM_OWNER, "file", "file", true);
        });
    }

    private StoredPersona writeVersion(
            Handle h, Persona persona, String owner, String source, String author, boolean undelete) {
        long now = clock.millis();
        int next = h.createQuery("SELECT COALESCE(MAX(version), 0) + 1 FROM persona_versions WHERE persona_id = :id")
                .bind("id", persona.id())
                .mapTo(Integer.class)
                .one();
        h.createUpdate("""
                        INSERT INTO persona_versions (persona_id, version, definition, author, created_at)
                        VALUES (:id, :version, :definition, :author, :now)""")
                .bind("id", persona.id())
                .bind("version", next)
                .bind("definition", Json.write(PersonaJson.write(persona)))
                .bind("author", author)
                .bind("now", now)
                .execute();
        h.createUpdate("UPDATE personas SET version = :version, owner = :owner, source = :source, updated_at = :now"
                        + (undelete ? ", deleted_at = NULL" : "") + " WHERE id = :id")
                .bind("version", next)
                .bind("owner", owner)
                .bind("source", source)
                .bind("now", now)
                .bind("id", persona.id())
                .execute();
        return find(h, persona.id()).orElseThrow();
    }

    private static boolean visible(StoredPersona p, Principal caller) {
        return p.system() || p.owner().equals(caller.owner()) || caller.isAdmin();
    }

    private static void requireWritable(StoredPersona p, Principal caller) {
        if (!caller.isAdmin() && !p.owner().equals(caller.owner())) {
            throw ProblemException.forbidden(
                    "persona '" + p.persona().id() + "' is shared by the deployment; only admins change it");
        }
    }

    private static StoredPersona stored(ResultSet rs) throws SQLException {
        return new StoredPersona(
                persona(rs.getString("definition")),
                rs.getString("owner"),
                rs.getString("source"),
                rs.getInt("version"),
                Instant.ofEpochMilli(rs.getLong("created_at")),
                Instant.ofEpochMilli(rs.getLong("updated_at")));
    }

    private static PersonaVersion version(ResultSet rs) throws SQLException {
        return new PersonaVersion(
                rs.getString("persona_id"),
                rs.getInt("version"),
                persona(rs.getString("definition")),
                rs.getString("author"),
                Instant.ofEpochMilli(rs.getLong("created_at")));
    }

    private static Persona persona(String json) {
        Validation v = new Validation();
        Persona persona = PersonaParser.parse(Json.tree(json), null, v);
        if (persona == null) {
            throw new IllegalStateException("stored persona definition is invalid: " + v.errors());
        }
        return persona;
    }
}
