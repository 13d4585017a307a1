-- Traces of agent work: a run (one chat turn or team task) and its ordered steps.
CREATE TABLE agent_runs (
    id           VARCHAR(40)  PRIMARY KEY,
    owner        VARCHAR(200) NOT NULL,
    kind         VARCHAR(20)  NOT NULL,
    persona_id   VARCHAR(64),
    session_id   VARCHAR(40),
    input        TEXT         NOT NULL,
    output       TEXT,
    status       VARCHAR(12)  NOT NULL,
    error        TEXT,
    prompt_tokens     INTEGER NOT NULL DEFAULT 0,
    completion_tokens INTEGER NOT NULL DEFAULT 0,
    cost_usd     DOUBLE PRECISION NOT NULL DEFAULT 0,
    started_at   BIGINT       NOT NULL,
    finished_at  BIGINT
);
CREATE INDEX agent_runs_owner ON agent_runs (owner, started_at);

CREATE TABLE agent_run_steps (
    id           VARCHAR(40)  PRIMARY KEY,
    run_id       VARCHAR(40)  NOT NULL REFERENCES agent_runs (id) ON DELETE CASCADE,
    seq          INTEGER      NOT NULL,
    parent_seq   INTEGER,
    kind         VARCHAR(20)  NOT NULL,
    name         VARCHAR(200) NOT NULL,
    persona_id   VARCHAR(64),
    input        TEXT,
    output       TEXT,
    status       VARCHAR(12)  NOT NULL,
    error        TEXT,
    prompt_tokens     INTEGER NOT NULL DEFAULT 0,
    completion_tokens INTEGER NOT NULL DEFAULT 0,
    cost_usd     DOUBLE PRECISION NOT NULL DEFAULT 0,
    started_at   BIGINT       NOT NULL,
    finished_at  BIGINT,
    UNIQUE (run_id, seq)
);
