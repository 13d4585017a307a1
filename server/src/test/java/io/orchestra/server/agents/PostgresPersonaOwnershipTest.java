package io.orchestra.server.agents;

import io.orchestra.server.TestServer;

class PostgresPersonaOwnershipTest extends PersonaOwnershipContract {
    @Override
    TestServer.Storage storage() {
        return TestServer.Storage.POSTGRES;
    }
}
