package io.orchestra.server;

class PostgresFoundationTest extends FoundationContract {
    @Override
    TestServer.Storage storage() {
        return TestServer.Storage.POSTGRES;
    }
}
