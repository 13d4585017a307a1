package io.orchestra.core.storage;

public enum DatabaseKind {
    SQLITE,
    POSTGRES;

    public String wire() {
        return this == SQLITE ? "sqlite" : "postgresql";
    }
}
