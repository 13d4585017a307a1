package io.orchestra.server.gateway;

import io.orchestra.core.auth.Principal;
import io.orchestra.core.error.ProblemException;
import io.orchestra.core.storage.Database;
import io.orchestra.core.storage.DatabaseKind;
import io.orchestra.gateway.usage.AttemptOutcome;
import io.orchestra.gateway.usage.AttemptRecord;
import io.orchestra.gateway.usage.LoggedBodies;
import io.orchestra.gateway.usage.RequestRecord;
import io.orchestra.gateway.usage.UsageRecorder;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.mapper.MapMapper;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * Reads the {@code requests} table: the request log, one request, and cost aggregates. The one
 * place these queries live, for /api/requests, /api/usage and the UI. Admins see every row;
 * everyone else only rows of their own owner.
 */
public final class RequestLog {
    public static final Set<String> GROUPS = Set.of("key", "model", "day", "hour", "provider");

    /**
     * Which rows: {@code model} matches the model or the alias asked for by substring, in any case;
     * {@code status} is null (any), {@code "error"} (400 and up), {@code "ok"} (below 400) or a
     * status code; {@code from}/{@code to} are epoch millis, {@code to} exclusive.
     */
    public record Filter(String keyId, String model, String status, long from, long to) {}

    /** One call with what the list leaves out: its attempts, and its bodies when they were logged (else null). */
    public record Detail(RequestRecord row, List<AttemptRecord> attempts, LoggedBodies bodies) {}

    private static final long WAIT_MILLIS = 3_000;

    private final Database database;
    private final UsageRecorder recorder;

    public RequestLog(Database database, UsageRecorder recorder) {
        this.database = database;
        this.recorder = recorder;
    }

    /** Newest first, as raw rows with the table's column names (the API's shape). */
    public List<Map<String, Object>> rows(Principal caller, Filter filter, int limit, int offset) {
        return select(caller, filter, limit, offset, new MapMapper());
    }

    /** Newest first, as records (the UI's shape). */
    public List<RequestRecord> records(Principal caller, Filter filter, int limit, int offset) {
        return select(caller, filter, limit, offset, (rs, ctx) -> record(rs));
    }

    /** How many rows the filter matches. */
    public long count(Principal caller, Filter filter) {
        Where where = where(caller, filter);
        return database.jdbi()
                .withHandle(
                        h -> where.bind(h.createQuery("SELECT COUNT(*) FROM requests " + where.sql()), caller, filter)
                                .mapTo(Long.class)
                                .one());
    }

    private <T> List<T> select(Principal caller, Filter filter, int limit, int offset, RowMapper<T> mapper) {
        Where where = where(caller, filter);
        return database.jdbi()
                .withHandle(h -> where.bind(
                                h.createQuery("SELECT * FROM requests " + where.sql()
                                        + " ORDER BY created_at DESC, id LIMIT :limit OFFSET :offset"),
                                caller,
                                filter)
                        .bind("limit", limit)
                        .bind("offset", offset)
                        .map(mapper)
                        .list());
    }

    /** A filter's WHERE clause and the status code it names, bound the same way for lists and counts. */
    private record Where(String sql, Integer status) {
        org.jdbi.v3.core.statement.Query bind(org.jdbi.v3.core.statement.Query query, Principal caller, Filter filter) {
            return query.bind("from", filter.from())
                    .bind("to", filter.to())
                    .bind("owner", caller.owner())
                    .bind("key", filter.keyId())
                    .bind(
                            "model",
                            filter.model() == null
                                    ? null
                                    : "%" + likeEscaped(filter.model().toLowerCase(java.util.Locale.ROOT)) + "%")
                    .bind("status", status);
        }
    }

    /**
     * {@code text} for a LIKE pattern that matches it literally. The escape is {@code !}, not a
     * backslash: JDBI's SQL lexer could read a quoted backslash as an escaped quote.
     */
    static String likeEscaped(String text) {
        return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }

    private static Where where(Principal caller, Filter filter) {
        StringBuilder where = new StringBuilder("WHERE created_at >= :from AND created_at < :to");
        if (!caller.isAdmin()) {
            where.append(" AND owner = :owner");
        }
        if (filter.keyId() != null) {
            where.append(" AND key_id = :key");
        }
        if (filter.model() != null) {
            // Substring, any case: "4o" finds gpt-4o-mini; LOWER on both sides because PostgreSQL's LIKE is
            // case-sensitive.
            where.append(" AND (LOWER(model) LIKE :model ESCAPE '!' OR LOWER(alias) LIKE :model ESCAPE '!')");
        }
        Integer code = null;
        if (filter.status() != null) {
            switch (filter.status()) {
                case "error" -> where.append(" AND status >= 400");
                case "ok" -> where.append(" AND status < 400");
                default -> {
                    code = statusCode(filter.status());
                    where.append(" AND status = :status");
                }
            }
        }
        return new Where(where.toString(), code);
    }

    /** One call by its log id, if the caller may see it. */
    public Optional<RequestRecord> find(String id, Principal caller) {
        return findOne(id, caller, (rs, ctx) -> record(rs));
    }

    /** The row {@code id}, if {@code caller} may see it (its owner, or an admin), read with {@code mapper}. */
    private <T> Optional<T> findOne(String id, Principal caller, RowMapper<T> mapper) {
        return database.jdbi()
                .withHandle(
                        h -> h.createQuery("SELECT * FROM requests WHERE id = :id AND (owner = :owner OR :admin = 1)")
                                .bind("id", id)
                                .bind("owner", caller.owner())
                                .bind("admin", caller.isAdmin() ? 1 : 0)
                                .map(mapper)
                                .findOne());
    }

    /** One call with its attempts and logged bodies, if the caller may see it. */
    public Optional<Detail> detail(String id, Principal caller) {
        return find(id, caller).map(row -> new Detail(row, attempts(row), bodies(row.id())));
    }

    /** One call as the API shows it: its row (the list's shape), its attempts, and its bodies or null. */
    public Optional<Map<String, Object>> detailMap(String id, Principal caller) {
        // One read of the row: as the list shows it (its columns) and as the record its attempts are implied from.
        Optional<Map.Entry<RequestRecord, Map<String, Object>>> row = findOne(
                id, caller, (rs, ctx) -> Map.entry(record(rs), new org.jdbi.v3.core.mapper.MapMapper().map(rs, ctx)));
        return row.map(r -> {
            Map<String, Object> out = new java.util.LinkedHashMap<>(r.getValue());
            out.put(
                    "attempt_list",
                    attempts(r.getKey()).stream()
                            .map(a -> {
                                Map<String, Object> m = new java.util.LinkedHashMap<>();
                                m.put("seq", a.seq());
                                m.put("provider", a.provider());
                                m.put("model", a.model());
                                m.put("status", a.status());
                                m.put("outcome", a.outcome().wire());
                                m.put("latency_ms", a.latencyMs());
                                m.put("error", a.error());
                                return m;
                            })
                            .toList());
            LoggedBodies bodies = bodies(id);
            Map<String, Object> logged = null;
            if (bodies != null) {
                logged = new java.util.LinkedHashMap<>();
                logged.put("request", bodies.request());
                logged.put("response", bodies.response());
            }
            out.put("bodies", logged);
            return out;
        });
    }

    /** The stored attempts, or the one the row implies (a call answered by its first attempt stores none). */
    private List<AttemptRecord> attempts(RequestRecord row) {
        List<AttemptRecord> stored = storedAttempts(row.id());
        return stored.isEmpty() ? AttemptRecord.of(row) : stored;
    }

    private List<AttemptRecord> storedAttempts(String requestId) {
        return database.jdbi()
                .withHandle(h -> h.createQuery("SELECT * FROM request_attempts WHERE request_id = :id ORDER BY seq")
                        .bind("id", requestId)
                        .map((rs, ctx) -> new AttemptRecord(
                                rs.getInt("seq"),
                                rs.getString("provider"),
                                rs.getString("model"),
                                rs.getInt("status"),
                                AttemptOutcome.fromWire(rs.getString("outcome")),
                                rs.getDouble("latency_ms"),
                                rs.getString("error")))
                        .list());
    }

    private LoggedBodies bodies(String requestId) {
        return database.jdbi()
                .withHandle(h -> h.createQuery(
                                "SELECT request_body, response_body FROM request_bodies WHERE request_id = :id")
                        .bind("id", requestId)
                        .map((rs, ctx) -> new LoggedBodies(rs.getString("request_body"), rs.getString("response_body")))
                        .findOne()
                        .orElse(null));
    }

    /** Writes the rows still queued (a call that has just ended). */
    public void flushQueued() {
        recorder.flush();
    }

    /** Erases the stored bodies of {@code owner}'s calls (the rows, with their tokens and cost, stay); returns how many. */
    public int purgeBodies(String owner) {
        recorder.flush(); // bodies still queued would be written after the purge
        return database.jdbi()
                .withHandle(h -> h.createUpdate("DELETE FROM request_bodies WHERE owner = :owner")
                        .bind("owner", owner)
                        .execute());
    }

    /**
     * One call that has just ended. Rows are written off the request path, so it may still be
     * queued: flush and look again for a short while before giving up.
     */
    public Optional<RequestRecord> awaitRecorded(String id, Principal caller) {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (true) {
            Optional<RequestRecord> row = find(id, caller);
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
        return database.jdbi()
                .withHandle(h -> h.createQuery(
                                "SELECT * FROM requests WHERE status >= 400 ORDER BY created_at DESC LIMIT :limit")
                        .bind("limit", limit)
                        .map((rs, ctx) -> record(rs))
                        .list());
    }

    /** Requests, errors, tokens and cost per key, model, UTC day, UTC hour ("YYYY-MM-DD HH") or provider, in group order. */
    public List<Map<String, Object>> usage(Principal caller, String group, long from, long to) {
        if (!GROUPS.contains(group)) {
            throw ProblemException.badRequest("group_by must be one of " + GROUPS);
        }
        String day = database.kind() == DatabaseKind.POSTGRES
                ? "to_char(to_timestamp(created_at / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
                : "strftime('%Y-%m-%d', created_at / 1000, 'unixepoch')";
        String hour = database.kind() == DatabaseKind.POSTGRES
                ? "to_char(to_timestamp(created_at / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24')"
                : "strftime('%Y-%m-%d %H', created_at / 1000, 'unixepoch')";
        String column = switch (group) {
            case "key" -> "key_id";
            case "hour" -> hour;
            case "model" -> "COALESCE(model, alias)";
            case "provider" -> "COALESCE(provider, 'none')";
            default -> day;
        };
        String scope = caller.isAdmin() ? "" : " AND owner = :owner";
        return database.jdbi()
                .withHandle(h -> h.createQuery("SELECT " + column
                                + " AS grp, COUNT(*) AS requests, SUM(CASE WHEN status >= 400 THEN 1 ELSE 0 END) AS errors,"
                                + " SUM(prompt_tokens) AS prompt_tokens, SUM(completion_tokens) AS completion_tokens,"
                                + " SUM(cached_tokens) AS cached_tokens, SUM(cost_usd) AS cost_usd,"
                                + " SUM(CASE WHEN cache = 'hit' THEN 1 ELSE 0 END) AS cache_hits"
                                + " FROM requests WHERE created_at >= :from AND created_at < :to" + scope
                                + " GROUP BY " + column + " ORDER BY grp")
                        .bind("from", from)
                        .bind("to", to)
                        .bind("owner", caller.owner())
                        .mapToMap()
                        .list());
    }

    /**
     * The latency (ms) at quantile {@code q} of the caller's calls in [from, to), by nearest rank over
     * every logged call; empty when there were none. Two queries; only one row comes back.
     */
    public Optional<Double> latencyQuantile(Principal caller, long from, long to, double q) {
        String where = " FROM requests WHERE created_at >= :from AND created_at < :to"
                + (caller.isAdmin() ? "" : " AND owner = :owner");
        return database.jdbi().withHandle(h -> {
            long count = h.createQuery("SELECT COUNT(*)" + where)
                    .bind("from", from)
                    .bind("to", to)
                    .bind("owner", caller.owner())
                    .mapTo(Long.class)
                    .one();
            if (count == 0) {
                return Optional.<Double>empty();
            }
            long rank = Math.max(1, (long) Math.ceil(q * count));
            return h.createQuery("SELECT latency_ms" + where + " ORDER BY latency_ms LIMIT 1 OFFSET :skip")
                    .bind("from", from)
                    .bind("to", to)
                    .bind("owner", caller.owner())
                    .bind("skip", rank - 1)
                    .mapTo(Double.class)
                    .findOne();
        });
    }

    private static int statusCode(String status) {
        try {
            return Integer.parseInt(status);
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest("status must be a number, 'ok' or 'error'");
        }
    }

    private static RequestRecord record(ResultSet rs) throws SQLException {
        double firstToken = rs.getDouble("first_token_ms");
        Double firstTokenMs = rs.wasNull() ? null : firstToken;
        return new RequestRecord(
                rs.getString("id"),
                rs.getString("key_id"),
                rs.getString("owner"),
                rs.getString("alias"),
                rs.getString("provider"),
                rs.getString("model"),
                rs.getString("endpoint"),
                rs.getInt("stream") != 0,
                rs.getInt("status"),
                rs.getInt("prompt_tokens"),
                rs.getInt("completion_tokens"),
                rs.getInt("cached_tokens"),
                rs.getInt("reasoning_tokens"),
                rs.getDouble("cost_usd"),
                rs.getDouble("latency_ms"),
                firstTokenMs,
                rs.getInt("attempts"),
                rs.getString("cache"),
                rs.getString("error"),
                rs.getLong("created_at"));
    }
}
