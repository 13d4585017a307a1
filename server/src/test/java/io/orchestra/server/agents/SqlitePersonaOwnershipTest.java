package io.orchestra.server.agents;

import io.orchestra.server.TestServer;

class SqlitePersonaOwnershipTest extends PersonaOwnershipContract {
    @Override
    TestServer.Storage storage() {
        return TestServer.Storage.SQLITE;
    }
}
