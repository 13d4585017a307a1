package io.orchestra.gateway.cache;

import java.util.Optional;

/** Completed responses by request hash: in process ({@link LocalResponseCache}) or shared in Redis. */
public interface ResponseCache {
    Optional<String> get(String key);

    void put(String key, String value, int ttlSeconds);

    String kind();
}
