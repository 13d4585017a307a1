-- The change sequence that in-process vector indexes follow (ADR 0007). One row per changed item,
-- upserted by triggers (V23) with the next value of a single counter, so a follower that remembers
-- the highest seq it applied finds every later change with one indexed range query.
CREATE TABLE vector_sequence (
    id    INTEGER PRIMARY KEY,
    value BIGINT  NOT NULL
);
INSERT INTO vector_sequence (id, value) VALUES (1, 0);

CREATE TABLE vector_changes (
    collection VARCHAR(40)  NOT NULL,
    item_id    VARCHAR(40)  NOT NULL,
    owner      VARCHAR(200) NOT NULL,
    seq        BIGINT       NOT NULL,
    changed_at BIGINT       NOT NULL,
    PRIMARY KEY (collection, item_id)
);
CREATE INDEX vector_changes_seq ON vector_changes (collection, seq);

-- Entity embeddings (name, type and observations), computed off the write path; source_seq is the
-- graph change they were computed from, so a stale one is recomputed and an older one never wins.
CREATE TABLE memory_entity_vectors (
    entity_id  VARCHAR(40)  PRIMARY KEY,
    owner      VARCHAR(200) NOT NULL,
    embedding  TEXT         NOT NULL,
    source_seq BIGINT       NOT NULL,
    updated_at BIGINT       NOT NULL
);
