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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

/**
 * Personas with full version history and soft delete. Ids are unique per owner: the deployment's
 * personas (owner {@code system}: files and those admins create) are visible to everyone and
 * changed only by admins or their file; a member's personas are visible to its owner (and to admins
 * managing them). A history belongs to its owner: reusing an id in another namespace starts a new one.
 */
public final class PersonaStore {
    private static final String CURRENT = """
            SELECT p.*, v.definition FROM personas p
            JOIN persona_versions v ON v.owner = p.owner AND v.persona_id = p.id AND v.version = p.version
            WHERE p.deleted_at IS NULL""";

    private final Database database;
    private final Clock clock;

    public PersonaStore(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** What a caller may manage: a member the deployment's personas and its own, an admin every owner's. */
    public List<StoredPersona> list(Principal caller) {
        return database.jdbi()
                .withHandle(h -> h.createQuery(CURRENT
                                + " AND (p.owner = :system OR p.owner = :owner OR :admin = 1) ORDER BY p.id, p.owner")
                        .bind("system", StoredPersona.SYSTEM_OWNER)
                        .bind("owner", caller.owner())
                        .bind("admin", caller.isAdmin() ? 1 : 0)
                        .map((rs, ctx) -> stored(rs))
                        .list());
    }

    /**
     * The personas a caller's own runs choose from (routing, the team's coordinator and members, the
     * playground): its own first, then the deployment's, an own persona shadowing a deployment one
     * with the same id. Never another owner's, not for an admin either: a member's persona must not
     * receive an admin's task unless the admin names it ({@code owner/id}).
     */
    public List<StoredPersona> available(Principal caller) {
        List<StoredPersona> rows = database.jdbi()
                .withHandle(h -> h.createQuery(CURRENT + " AND p.owner IN (:owner, :system) ORDER BY p.id")
                        .bind("system", StoredPersona.SYSTEM_OWNER)
                        .bind("owner", caller.owner())
                        .map((rs, ctx) -> stored(rs))
                        .list());
        List<StoredPersona> own =
                rows.stream().filter(p -> p.owner().equals(caller.owner())).toList();
        Set<String> ownIds = own.stream().map(p -> p.persona().id()).collect(Collectors.toSet());
        List<StoredPersona> out = new ArrayList<>(own);
        rows.stream()
                .filter(p -> p.system() && !ownIds.contains(p.persona().id()))
                .forEach(out::add);
        return out;
    }

    public StoredPersona get(PersonaRef ref, Principal caller) {
        return database.jdbi().withHandle(h -> resolve(h, ref, caller)).orElseThrow(() -> notFound(ref));
    }

    /** The shortest reference that names this persona for this caller: its id, or owner/id when another wins. */
    public String reference(StoredPersona persona, Principal caller) {
        String id = persona.persona().id();
        boolean bareIdFindsIt = database.jdbi()
                .withHandle(h -> resolve(h, PersonaRef.parse(id), caller))
                .map(found -> found.owner().equals(persona.owner()))
                .orElse(false);
        return bareIdFindsIt ? id : persona.owner() + "/" + id;
    }

    public StoredPersona create(Persona persona, Principal caller) {
        String owner = caller.isAdmin() ? StoredPersona.SYSTEM_OWNER : caller.owner();
        String author = caller.keyName();
        return database.jdbi().inTransaction(h -> {
            long now = clock.millis();
            int inserted = h.createUpdate("""
                            INSERT INTO personas (owner, id, source, version, created_at, updated_at)
                            VALUES (:owner, :id, 'api', 0, :now, :now) ON CONFLICT (owner, id) DO NOTHING""")
                    .bind("owner", owner)
                    .bind("id", persona.id())
                    .bind("now", now)
                    .execute();
            if (inserted == 0) {
                // Only the caller's own namespace is consulted: another owner's ids stay unknown.
                if (find(h, owner, persona.id()).isPresent()) {
                    throw ProblemException.conflict("a persona with id '" + persona.id() + "' already exists");
                }
                // Re-creating one's own soft-deleted persona continues its history.
                return writeVersion(h, owner, persona, "api", author, true);
            }
            if (!owner.equals(StoredPersona.SYSTEM_OWNER)
                    && find(h, StoredPersona.SYSTEM_OWNER, persona.id()).isPresent()) {
                // Every member sees the deployment's personas, so saying this reveals nothing (the insert rolls back).
                throw ProblemException.conflict(
                        "the deployment has a persona with id '" + persona.id() + "'; choose another id for yours");
            }
            return writeVersion(h, owner, persona, "api", author, false);
        });
    }

    public StoredPersona update(PersonaRef ref, Persona persona, Principal caller) {
        return database.jdbi().inTransaction(h -> {
            StoredPersona current = resolve(h, ref, caller).orElseThrow(() -> notFound(ref));
            requireWritable(current, caller);
            if (current.persona().equals(persona)) {
                return current; // saving without a change adds no version
            }
            return writeVersion(h, current.owner(), persona, current.source(), caller.keyName(), false);
        });
    }

    /** One saved version of a live persona the caller may see. */
    public PersonaVersion version(PersonaRef ref, int version, Principal caller) {
        return versions(ref, caller).stream()
                .filter(v -> v.version() == version)
                .findFirst()
                .orElseThrow(() -> ProblemException.notFound("persona '" + ref + "' has no version " + version));
    }

    public void delete(PersonaRef ref, Principal caller) {
        database.jdbi().useTransaction(h -> {
            StoredPersona current = resolve(h, ref, caller).orElseThrow(() -> notFound(ref));
            requireWritable(current, caller);
            h.createUpdate("UPDATE personas SET deleted_at = :now, updated_at = :now WHERE owner = :owner AND id = :id")
                    .bind("now", clock.millis())
                    .bind("owner", current.owner())
                    .bind("id", current.persona().id())
                    .execute();
        });
    }

    /** The history of a live persona the caller may see; only its owner's versions. */
    public List<PersonaVersion> versions(PersonaRef ref, Principal caller) {
        return database.jdbi().withHandle(h -> {
            StoredPersona current = resolve(h, ref, caller).orElseThrow(() -> notFound(ref));
            return h.createQuery("SELECT * FROM persona_versions WHERE owner = :owner AND persona_id = :id"
                            + " ORDER BY version DESC")
                    .bind("owner", current.owner())
                    .bind("id", current.persona().id())
                    .map((rs, ctx) -> version(rs))
                    .list();
        });
    }

    /** Ids of the live personas that came from files (the file loader removes those whose file is gone). */
    public List<String> fileDefined() {
        return database.jdbi()
                .withHandle(h -> h.createQuery("SELECT id FROM personas WHERE owner = :system AND source = 'file'"
                                + " AND deleted_at IS NULL ORDER BY id")
                        .bind("system", StoredPersona.SYSTEM_OWNER)
                        .mapTo(String.class)
                        .list());
    }

    /** Soft-deletes a file-defined persona whose file was removed. */
    public void deleteFromFile(String id) {
        database.jdbi()
                .useHandle(
                        h -> h.createUpdate("UPDATE personas SET deleted_at = :now WHERE owner = :system AND id = :id"
                                        + " AND source = 'file' AND deleted_at IS NULL")
                                .bind("now", clock.millis())
                                .bind("system", StoredPersona.SYSTEM_OWNER)
                                .bind("id", id)
                                .execute());
    }

    /**
     * Brings a file-defined persona into the deployment's namespace: a new version only when the
     * definition changed, so restarts do not grow the history. Revives a persona whose file came back.
     * A member's persona with the same id is another persona and stays untouched.
     */
    public StoredPersona syncFromFile(Persona persona) {
        return database.jdbi().inTransaction(h -> {
            Optional<StoredPersona> current = find(h, StoredPersona.SYSTEM_OWNER, persona.id());
            if (current.isPresent() && current.get().persona().equals(persona)) {
                return current.get();
            }
            long now = clock.millis();
            h.createUpdate("""
                            INSERT INTO personas (owner, id, source, version, created_at, updated_at)
                            VALUES (:owner, :id, 'file', 0, :now, :now) ON CONFLICT (owner, id) DO NOTHING""")
                    .bind("owner", StoredPersona.SYSTEM_OWNER)
                    .bind("id", persona.id())
                    .bind("now", now)
                    .execute();
            return writeVersion(h, StoredPersona.SYSTEM_OWNER, persona, "file", "file", true);
        });
    }

    /**
     * Resolves a reference for a caller: owner/id when the caller may name that owner (its own, the
     * deployment's, any for an admin), else its own persona, else the deployment's.
     */
    private static Optional<StoredPersona> resolve(Handle h, PersonaRef ref, Principal caller) {
        if (ref.owner().isPresent()) {
            String owner = ref.owner().get();
            boolean mayName =
                    caller.isAdmin() || owner.equals(caller.owner()) || owner.equals(StoredPersona.SYSTEM_OWNER);
            return mayName ? find(h, owner, ref.id()) : Optional.empty();
        }
        return find(h, caller.owner(), ref.id()).or(() -> find(h, StoredPersona.SYSTEM_OWNER, ref.id()));
    }

    private static Optional<StoredPersona> find(Handle h, String owner, String id) {
        return h.createQuery(CURRENT + " AND p.owner = :owner AND p.id = :id")
                .bind("owner", owner)
                .bind("id", id)
                .map((rs, ctx) -> stored(rs))
                .findOne();
    }

    private StoredPersona writeVersion(
            Handle h, String owner, Persona persona, String source, String author, boolean undelete) {
        long now = clock.millis();
        // Touching the row first takes its lock (PostgreSQL), so concurrent saves number versions one after another.
        h.createUpdate("UPDATE personas SET updated_at = :now WHERE owner = :owner AND id = :id")
                .bind("now", now)
                .bind("owner", owner)
                .bind("id", persona.id())
                .execute();
        int next = h.createQuery("SELECT COALESCE(MAX(version), 0) + 1 FROM persona_versions"
                        + " WHERE owner = :owner AND persona_id = :id")
                .bind("owner", owner)
                .bind("id", persona.id())
                .mapTo(Integer.class)
                .one();
        h.createUpdate("""
                        INSERT INTO persona_versions (owner, persona_id, version, definition, author, created_at)
                        VALUES (:owner, :id, :version, :definition, :author, :now)""")
                .bind("owner", owner)
                .bind("id", persona.id())
                .bind("version", next)
                .bind("definition", Json.write(PersonaJson.write(persona)))
                .bind("author", author)
                .bind("now", now)
                .execute();
        h.createUpdate("UPDATE personas SET version = :version, source = :source, updated_at = :now"
                        + (undelete ? ", deleted_at = NULL" : "") + " WHERE owner = :owner AND id = :id")
                .bind("version", next)
                .bind("source", source)
                .bind("now", now)
                .bind("owner", owner)
                .bind("id", persona.id())
                .execute();
        return find(h, owner, persona.id()).orElseThrow();
    }

    private static ProblemException notFound(PersonaRef ref) {
        return ProblemException.notFound("no persona with id '" + ref + "'");
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
