-- Background work that any replica may claim (SKIP LOCKED on PostgreSQL; SQLite has one writer).
CREATE TABLE jobs (
    id            VARCHAR(40)  PRIMARY KEY,
    kind          VARCHAR(60)  NOT NULL,
    owner         VARCHAR(200) NOT NULL,
    payload       TEXT         NOT NULL,
    status        VARCHAR(10)  NOT NULL,
    attempts      INTEGER      NOT NULL DEFAULT 0,
    max_attempts  INTEGER      NOT NULL,
    progress      DOUBLE PRECISION NOT NULL DEFAULT 0,
    message       TEXT,
    error         TEXT,
    run_after     BIGINT       NOT NULL,
    locked_by     VARCHAR(80),
    locked_until  BIGINT,
    created_at    BIGINT       NOT NULL,
    updated_at    BIGINT       NOT NULL
);
CREATE INDEX jobs_claim ON jobs (status, run_after);
CREATE INDEX jobs_owner ON jobs (owner, kind);
