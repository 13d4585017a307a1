-- API keys: only the SHA-256 hash of a key is stored; the prefix helps people recognise a key.
CREATE TABLE api_keys (
    id          VARCHAR(40)  PRIMARY KEY,
    name        VARCHAR(200) NOT NULL,
    role        VARCHAR(20)  NOT NULL,
    owner       VARCHAR(200) NOT NULL,
    key_hash    VARCHAR(64)  NOT NULL UNIQUE,
    key_prefix  VARCHAR(20)  NOT NULL,
    tags        TEXT         NOT NULL DEFAULT '[]',
    created_at  BIGINT       NOT NULL,
    revoked_at  BIGINT,
    last_used_at BIGINT
);
CREATE INDEX api_keys_owner ON api_keys (owner);
