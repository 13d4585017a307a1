-- Persona ids are unique per owner, not across the deployment: a member's private id must not
-- collide with (and so reveal) another owner's, and each version row belongs to its persona's
-- owner, so a history never passes to whoever reuses the id. SQLite cannot change a primary key
-- in place, so both tables are rebuilt (the same statements run on PostgreSQL). Existing ids are
-- unique already; each version takes the owner of its persona.
CREATE TABLE personas_by_owner (
    owner       VARCHAR(200) NOT NULL,
    id          VARCHAR(64)  NOT NULL,
    source      VARCHAR(10)  NOT NULL,
    version     INTEGER      NOT NULL,
    created_at  BIGINT       NOT NULL,
    updated_at  BIGINT       NOT NULL,
    deleted_at  BIGINT,
    PRIMARY KEY (owner, id)
);
INSERT INTO personas_by_owner (owner, id, source, version, created_at, updated_at, deleted_at)
SELECT owner, id, source, version, created_at, updated_at, deleted_at FROM personas;

CREATE TABLE persona_versions_by_owner (
    owner       VARCHAR(200) NOT NULL,
    persona_id  VARCHAR(64)  NOT NULL,
    version     INTEGER      NOT NULL,
    definition  TEXT         NOT NULL,
    author      VARCHAR(200) NOT NULL,
    created_at  BIGINT       NOT NULL,
    PRIMARY KEY (owner, persona_id, version),
    FOREIGN KEY (owner, persona_id) REFERENCES personas_by_owner (owner, id)
);
INSERT INTO persona_versions_by_owner (owner, persona_id, version, definition, author, created_at)
SELECT p.owner, v.persona_id, v.version, v.definition, v.author, v.created_at
FROM persona_versions v JOIN personas p ON p.id = v.persona_id;

DROP TABLE persona_versions;
DROP TABLE personas;
ALTER TABLE personas_by_owner RENAME TO personas;
ALTER TABLE persona_versions_by_owner RENAME TO persona_versions;
