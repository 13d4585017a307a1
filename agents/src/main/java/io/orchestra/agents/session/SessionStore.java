package io.orchestra.agents.session;

import io.orchestra.core.error.ProblemException;
import io.orchestra.core.storage.Database;
import io.orchestra.core.util.Ids;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Sessions and their messages; every read and write is scoped by owner. */
public final class SessionStore {
    private final Database database;
    private final Clock clock;

    public SessionStore(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    public ChatSession create(String owner, String personaId, String title) {
        String id = Ids.newId("ses");
        long now = clock.millis();
        database.jdbi()
                .useHandle(h -> h.createUpdate("""
                        INSERT INTO chat_sessions (id, owner, persona_id, title, created_at, updated_at)
                        VALUES (:id, :owner, :persona, :title, :now, :now)""")
                        .bind("id", id)
                        .bind("owner", owner)
                        .bind("persona", personaId)
                        .bind("title", title == null ? null : title.substring(0, Math.min(title.length(), 200)))
                        .bind("now", now)
                        .execute());
        return get(id, owner);
    }

    public Optional<ChatSession> find(String id, String owner) {
        return database.jdbi()
                .withHandle(h -> h.createQuery("SELECT * FROM chat_sessions WHERE id = :id AND owner = :owner")
                        .bind("id", id)
                        .bind("owner", owner)
                        .map((rs, ctx) -> session(rs))
                        .findOne());
    }

    public ChatSession get(String id, String owner) {
        return find(id, owner).orElseThrow(() -> ProblemException.notFound("no session with id '" + id + "'"));
    }

    public List<ChatSession> list(String owner, int limit, int offset) {
        return database.jdbi()
                .withHandle(h -> h.createQuery(
                                "SELECT * FROM chat_sessions WHERE owner = :owner ORDER BY updated_at DESC, id LIMIT :limit OFFSET :offset")
                        .bind("owner", owner)
                        .bind("limit", limit)
                        .bind("offset", offset)
                        .map((rs, ctx) -> session(rs))
                        .list());
    }

    /** Appends a message at the next sequence number (atomic with the session's timestamp). */
    public ChatMessage append(
            ChatSession session, String role, String content, String personaId, int tokens, String metadata) {
        long now = clock.millis();
        String id = Ids.newId("msg");
        return database.jdbi().inTransaction(h -> {
            int seq = h.createQuery("SELECT COALESCE(MAX(seq), 0) + 1 FROM chat_messages WHERE session_id = :s")
                    .bind("s", session.id())
                    .mapTo(Integer.class)
                    .one();
            h.createUpdate("""
                            INSERT INTO chat_messages (id, session_id, seq, role, content, persona_id, tokens, metadata, created_at)
                            VALUES (:id, :s, :seq, :role, :content, :persona, :tokens, :meta, :now)""")
                    .bind("id", id)
                    .bind("s", session.id())
                    .bind("seq", seq)
                    .bind("role", role)
                    .bind("content", content)
                    .bind("persona", personaId)
                    .bind("tokens", tokens)
                    .bind("meta", metadata == null ? "{}" : metadata)
                    .bind("now", now)
                    .execute();
            h.createUpdate("UPDATE chat_sessions SET updated_at = :now WHERE id = :s")
                    .bind("now", now)
                    .bind("s", session.id())
                    .execute();
            return new ChatMessage(
                    id,
                    session.id(),
                    seq,
                    role,
                    content,
                    personaId,
                    tokens,
                    metadata == null ? "{}" : metadata,
                    Instant.ofEpochMilli(now));
        });
    }

    public List<ChatMessage> messages(String sessionId, String owner) {
        get(sessionId, owner);
        return database.jdbi()
                .withHandle(h -> h.createQuery("SELECT * FROM chat_messages WHERE session_id = :s ORDER BY seq")
                        .bind("s", sessionId)
                        .map((rs, ctx) -> message(rs))
                        .list());
    }

    /** Records that {@code summary} now covers every message up to {@code upto}. */
    public void summarize(String sessionId, String owner, String summary, int upto) {
        database.jdbi()
                .useHandle(h -> h.createUpdate("""
                        UPDATE chat_sessions SET summary = :summary, summarized_upto = :upto, updated_at = :now
                        WHERE id = :id AND owner = :owner AND summarized_upto <= :upto""")
                        .bind("summary", summary)
                        .bind("upto", upto)
                        .bind("now", clock.millis())
                        .bind("id", sessionId)
                        .bind("owner", owner)
                        .execute());
    }

    public void delete(String id, String owner) {
        int deleted = database.jdbi().inTransaction(h -> {
            h.createUpdate(
                            "DELETE FROM chat_messages WHERE session_id IN (SELECT id FROM chat_sessions WHERE id = :id AND owner = :owner)")
                    .bind("id", id)
                    .bind("owner", owner)
                    .execute();
            return h.createUpdate("DELETE FROM chat_sessions WHERE id = :id AND owner = :owner")
                    .bind("id", id)
                    .bind("owner", owner)
                    .execute();
        });
        if (deleted == 0) {
            throw ProblemException.notFound("no session with id '" + id + "'");
        }
    }

    private static ChatSession session(ResultSet rs) throws SQLException {
        return new ChatSession(
                rs.getString("id"),
                rs.getString("owner"),
                rs.getString("persona_id"),
                rs.getString("title"),
                rs.getString("summary"),
                rs.getInt("summarized_upto"),
                Instant.ofEpochMilli(rs.getLong("created_at")),
                Instant.ofEpochMilli(rs.getLong("updated_at")));
    }

    private static ChatMessage message(ResultSet rs) throws SQLException {
        return new ChatMessage(
                rs.getString("id"),
                rs.getString("session_id"),
                rs.getInt("seq"),
                rs.getString("role"),
                rs.getString("content"),
                rs.getString("persona_id"),
                rs.getInt("tokens"),
                rs.getString("metadata"),
                Instant.ofEpochMilli(rs.getLong("created_at")));
    }
}
