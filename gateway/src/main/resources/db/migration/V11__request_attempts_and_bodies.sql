-- Each attempt of a gateway call (retries and fallbacks, and targets passed over), in order.
CREATE TABLE request_attempts (
    request_id  VARCHAR(40)  NOT NULL,
    seq         INTEGER      NOT NULL,
    owner       VARCHAR(200) NOT NULL,
    provider    VARCHAR(100) NOT NULL,
    model       VARCHAR(200) NOT NULL,
    status      INTEGER      NOT NULL,
    outcome     VARCHAR(20)  NOT NULL,
    latency_ms  DOUBLE PRECISION NOT NULL,
    error       TEXT,
    created_at  BIGINT       NOT NULL,
    PRIMARY KEY (request_id, seq)
);
CREATE INDEX request_attempts_owner ON request_attempts (owner);

-- Request and response bodies, only while body logging is on: masked and cut to a size limit.
CREATE TABLE request_bodies (
    request_id     VARCHAR(40)  PRIMARY KEY,
    owner          VARCHAR(200) NOT NULL,
    request_body   TEXT,
    response_body  TEXT,
    created_at     BIGINT       NOT NULL
);
CREATE INDEX request_bodies_owner ON request_bodies (owner, created_at);
