-- Uploaded documents (the file lives under the data dir) and their text chunks.
CREATE TABLE documents (
    id           VARCHAR(40)  PRIMARY KEY,
    owner        VARCHAR(200) NOT NULL,
    persona_id   VARCHAR(64),
    filename     VARCHAR(500) NOT NULL,
    media_type   VARCHAR(200),
    size_bytes   BIGINT       NOT NULL,
    sha256       VARCHAR(64)  NOT NULL,
    storage_path VARCHAR(1000) NOT NULL,
    status       VARCHAR(12)  NOT NULL,
    error        TEXT,
    chunk_count  INTEGER      NOT NULL DEFAULT 0,
    job_id       VARCHAR(40)  NOT NULL,
    created_at   BIGINT       NOT NULL,
    updated_at   BIGINT       NOT NULL
);
CREATE UNIQUE INDEX documents_owner_sha ON documents (owner, sha256);

CREATE TABLE document_chunks (
    id           VARCHAR(40)  PRIMARY KEY,
    document_id  VARCHAR(40)  NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    owner        VARCHAR(200) NOT NULL,
    persona_id   VARCHAR(64),
    ordinal      INTEGER      NOT NULL,
    start_offset INTEGER      NOT NULL,
    text         TEXT         NOT NULL,
    created_at   BIGINT       NOT NULL
);
CREATE INDEX document_chunks_document ON document_chunks (document_id, ordinal);
CREATE INDEX document_chunks_owner ON document_chunks (owner);
