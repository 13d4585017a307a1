-- Personas: the current version pointer and soft delete; every version's definition is kept.
CREATE TABLE personas (
    id          VARCHAR(64)  PRIMARY KEY,
    owner       VARCHAR(200) NOT NULL,
    source      VARCHAR(10)  NOT NULL,
    version     INTEGER      NOT NULL,
    created_at  BIGINT       NOT NULL,
    updated_at  BIGINT       NOT NULL,
    deleted_at  BIGINT
);
CREATE INDEX personas_owner ON personas (owner);

CREATE TABLE persona_versions (
    persona_id  VARCHAR(64)  NOT NULL REFERENCES personas (id),
    version     INTEGER      NOT NULL,
    definition  TEXT         NOT NULL,
    author      VARCHAR(200) NOT NULL,
    created_at  BIGINT       NOT NULL,
    PRIMARY KEY (persona_id, version)
);
