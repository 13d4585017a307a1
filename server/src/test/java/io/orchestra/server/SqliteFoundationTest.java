package io.orchestra.server;

class SqliteFoundationTest extends FoundationContract {
    @Override
    TestServer.Storage storage() {
        return TestServer.Storage.SQLITE;
    }
}
