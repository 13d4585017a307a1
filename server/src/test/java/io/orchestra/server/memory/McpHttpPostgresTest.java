package io.orchestra.server.memory;

import io.orchestra.server.TestServer;

/** The same MCP suite against PostgreSQL. */
class McpHttpPostgresTest extends McpHttpTest {
    @Override
    TestServer.Storage storage() {
        return TestServer.Storage.POSTGRES;
    }
}
