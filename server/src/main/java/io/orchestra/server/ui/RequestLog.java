package io.orchestra.server.ui;

import io.orchestra.core.auth.Principal;
import io.orchestra.core.storage.Database;
import io.orchestra.gateway.usage.RequestRecord;
import io.orchestra.gateway.usage.UsageRecorder;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Reads rows of the gateway's request log for the UI pages, with the same rule as /api/requests:
 * admins see every row, members only their owner's.
 */
public final class RequestLog {
    private static final long WAIT_MILLIS = 3_000;

    private final Database database;
    private final UsageRecorder recorder;

    public RequestLog(Database database, UsageRecorder recorder) {
        this.database = database;
        this.recorder = recorder;
    }

    /**
     * One call by its log id. Rows are written off the request path, so a call that just ended may
     * still be queued: flush and look again for a short while before giving up.
     */
    public Optional<RequestRecord> find(String id, Principal caller) {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (true) {
            Optional<RequestRecord> row = database.jdbi().withHandle(h -> h.createQuery(
                            "SELECT * FROM requests WHERE id = :id AND (owner = :owner OR :admin = 1)")
                    .bind("id", id).bind("owner", caller.owner()).bind("admin", caller.isAdmin() ? 1 : 0)
                    .map((rs, ctx) -> record(rs)).findOne());
            if (row.isPresent() || System.currentTimeMillis() > deadline) {
                return row;
            }
            recorder.flush();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }

    /** The latest failed gateway calls of every key (for admins: the Routes page). */
    public List<RequestRecord> recentErrors(int limit) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT * FROM requests WHERE status >= 400 ORDER BY created_at DESC LIMIT :limit")
                .bind("limit", limit).map((rs, ctx) -> record(rs)).list());
    }

    private static RequestRecord record(ResultSet rs) throws SQLException {
        double firstToken = rs.getDouble("first_token_ms");
        Double firstTokenMs = rs.wasNull() ? null : firstToken;
        return new RequestRecord(rs.getString("id"), rs.getString("key_id"), rs.getString("owner"), rs.getString("alias"),
                rs.getString("provider"), rs.getString("model"), rs.getString("endpoint"), rs.getInt("stream") != 0, rs.getInt("status"),
                rs.getInt("prompt_tokens"), rs.getInt("completion_tokens"), rs.getInt("cached_tokens"), rs.getInt("reasoning_tokens"),
                rs.getDouble("cost_usd"), rs.getDouble("latency_ms"), firstTokenMs, rs.getInt("attempts"), rs.getString("cache"),
                rs.getString("error"), rs.getLong("created_at"));
    }
}
