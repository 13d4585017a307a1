-- Conversations: a rolling summary of older turns plus every message, scoped by owner.
CREATE TABLE chat_sessions (
    id            VARCHAR(40)  PRIMARY KEY,
    owner         VARCHAR(200) NOT NULL,
    persona_id    VARCHAR(64),
    title         VARCHAR(200),
    summary       TEXT,
    summarized_upto INTEGER    NOT NULL DEFAULT 0,
    created_at    BIGINT       NOT NULL,
    updated_at    BIGINT       NOT NULL
);
CREATE INDEX chat_sessions_owner ON chat_sessions (owner, updated_at);

CREATE TABLE chat_messages (
    id            VARCHAR(40)  PRIMARY KEY,
    session_id    VARCHAR(40)  NOT NULL REFERENCES chat_sessions (id) ON DELETE CASCADE,
    seq           INTEGER      NOT NULL,
    role          VARCHAR(20)  NOT NULL,
    content       TEXT         NOT NULL,
    persona_id    VARCHAR(64),
    tokens        INTEGER      NOT NULL,
    metadata      TEXT         NOT NULL DEFAULT '{}',
    created_at    BIGINT       NOT NULL,
    UNIQUE (session_id, seq)
);
