package io.orchestra.server.gateway;

import io.orchestra.server.TestServer;
import org.junit.jupiter.api.BeforeAll;

/** {@link RequestAttemptsTest} on PostgreSQL: migration V11, the attempts, and the substring filter's LIKE. */
class PostgresRequestAttemptsTest extends RequestAttemptsTest {
    @BeforeAll
    static void start() {
        startOn(TestServer.Storage.POSTGRES);
    }
}
