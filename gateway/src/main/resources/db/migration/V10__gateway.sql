-- One row per gateway call, written off the hot path in batches.
CREATE TABLE requests (
    id                VARCHAR(40)  PRIMARY KEY,
    key_id            VARCHAR(40)  NOT NULL,
    owner             VARCHAR(200) NOT NULL,
    alias             VARCHAR(200) NOT NULL,
    provider          VARCHAR(100),
    model             VARCHAR(200),
    endpoint          VARCHAR(20)  NOT NULL,
    stream            INTEGER      NOT NULL,
    status            INTEGER      NOT NULL,
    prompt_tokens     INTEGER      NOT NULL DEFAULT 0,
    completion_tokens INTEGER      NOT NULL DEFAULT 0,
    cached_tokens     INTEGER      NOT NULL DEFAULT 0,
    reasoning_tokens  INTEGER      NOT NULL DEFAULT 0,
    cost_usd          DOUBLE PRECISION NOT NULL DEFAULT 0,
    latency_ms        DOUBLE PRECISION NOT NULL,
    first_token_ms    DOUBLE PRECISION,
    attempts          INTEGER      NOT NULL,
    cache             VARCHAR(4)   NOT NULL,
    error             TEXT,
    created_at        BIGINT       NOT NULL
);
CREATE INDEX requests_key_time ON requests (key_id, created_at);
CREATE INDEX requests_owner_time ON requests (owner, created_at);
CREATE INDEX requests_time ON requests (created_at);

-- Budgets and rate limits per API key (NULL = no limit).
CREATE TABLE gateway_key_limits (
    key_id               VARCHAR(40) PRIMARY KEY,
    daily_budget_usd     DOUBLE PRECISION,
    monthly_budget_usd   DOUBLE PRECISION,
    requests_per_minute  INTEGER,
    tokens_per_minute    INTEGER,
    updated_at           BIGINT NOT NULL
);

-- Routes added or replaced through /api/routes; they take precedence over the file's.
CREATE TABLE gateway_routes (
    alias        VARCHAR(100) PRIMARY KEY,
    definition   TEXT         NOT NULL,
    updated_at   BIGINT       NOT NULL
);
