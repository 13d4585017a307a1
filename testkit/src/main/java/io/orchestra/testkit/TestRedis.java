package io.orchestra.testkit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The Redis for tests, from {@code ORCHESTRA_TEST_REDIS_URL}; tests that need it are skipped, loudly, without. */
public final class TestRedis {
    private TestRedis() {}

    public static String urlOrSkip() {
        String url = System.getenv("ORCHESTRA_TEST_REDIS_URL");
        if (url == null || url.isBlank()) {
            System.err.println("SKIPPED: ORCHESTRA_TEST_REDIS_URL is not set, Redis tests do not run");
        }
        assumeTrue(url != null && !url.isBlank(), "ORCHESTRA_TEST_REDIS_URL is not set");
        return url;
    }
}
