package io.orchestra.server.ui;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Server-side UI sessions, in memory, keyed by a random id that is the cookie value. A restart
 * signs everyone out; several replicas need sticky sessions (or a shared store, later).
 */
public final class UiSessions {
    static final Duration IDLE_TIMEOUT = Duration.ofHours(8);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One signed-in browser: which key signed in, and the CSRF token its forms must echo. */
    public record UiSession(String id, String keyId, String csrf, Instant expiresAt) {}

    private final Map<String, UiSession> sessions = new ConcurrentHashMap<>();
    private final Clock clock;

    public UiSessions(Clock clock) {
        this.clock = clock;
    }

    public UiSession open(String keyId) {
        sessions.values().removeIf(s -> s.expiresAt().isBefore(clock.instant()));
        UiSession session = new UiSession(
                randomToken(), keyId, randomToken(), clock.instant().plus(IDLE_TIMEOUT));
        sessions.put(session.id(), session);
        return session;
    }

    /** The live session for a cookie value, its idle timeout renewed; empty if unknown or expired. */
    public Optional<UiSession> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        UiSession session = sessions.get(id);
        if (session == null || session.expiresAt().isBefore(clock.instant())) {
            sessions.remove(id);
            return Optional.empty();
        }
        UiSession renewed = new UiSession(
                session.id(), session.keyId(), session.csrf(), clock.instant().plus(IDLE_TIMEOUT));
        sessions.put(id, renewed);
        return Optional.of(renewed);
    }

    public void close(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }

    static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
