-- Knowledge graph memory, per owner: entities with observations, and typed relations between them.
CREATE TABLE memory_entities (
    id           VARCHAR(40)  PRIMARY KEY,
    owner        VARCHAR(200) NOT NULL,
    name         VARCHAR(500) NOT NULL,
    entity_type  VARCHAR(200) NOT NULL,
    created_at   BIGINT       NOT NULL,
    updated_at   BIGINT       NOT NULL,
    UNIQUE (owner, name)
);

CREATE TABLE memory_observations (
    id           VARCHAR(40)  PRIMARY KEY,
    entity_id    VARCHAR(40)  NOT NULL REFERENCES memory_entities (id) ON DELETE CASCADE,
    owner        VARCHAR(200) NOT NULL,
    content      TEXT         NOT NULL,
    content_hash VARCHAR(64)  NOT NULL,
    created_at   BIGINT       NOT NULL,
    UNIQUE (entity_id, content_hash)
);
CREATE INDEX memory_observations_owner ON memory_observations (owner);

CREATE TABLE memory_relations (
    id            VARCHAR(40)  PRIMARY KEY,
    owner         VARCHAR(200) NOT NULL,
    from_name     VARCHAR(500) NOT NULL,
    to_name       VARCHAR(500) NOT NULL,
    relation_type VARCHAR(200) NOT NULL,
    created_at    BIGINT       NOT NULL,
    UNIQUE (owner, from_name, to_name, relation_type)
);
CREATE INDEX memory_relations_to ON memory_relations (owner, to_name);
