-- A key may expire and may be limited to some models (as LiteLLM's keys): NULL / '[]' mean never and any.
ALTER TABLE api_keys ADD COLUMN expires_at BIGINT;
ALTER TABLE api_keys ADD COLUMN models TEXT NOT NULL DEFAULT '[]';
