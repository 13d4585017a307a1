-- Free-text memories per owner, optionally for one agent (persona) and session, with an embedding.
CREATE TABLE memories (
    id          VARCHAR(40)  PRIMARY KEY,
    owner       VARCHAR(200) NOT NULL,
    agent       VARCHAR(64),
    session_id  VARCHAR(40),
    text        TEXT         NOT NULL,
    tags        TEXT         NOT NULL,
    importance  DOUBLE PRECISION NOT NULL,
    embedding   TEXT         NOT NULL,
    created_at  BIGINT       NOT NULL,
    updated_at  BIGINT       NOT NULL,
    expires_at  BIGINT
);
CREATE INDEX memories_owner ON memories (owner, agent);
