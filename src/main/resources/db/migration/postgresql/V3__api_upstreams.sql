-- Upstreams defined through PUT /api/v1/upstreams/{name}: the request body as sent (JSON or
-- YAML, read again at every start with the rules of startup), so that a restart, and every
-- replica sharing this database, sees them. updated_at is nanoseconds since the epoch (UTC).
-- The body may hold credentials (headers, bearer-token): the database is as sensitive as a file
-- of upstreams.
CREATE TABLE api_upstream (
    name       TEXT   NOT NULL PRIMARY KEY,
    body       TEXT   NOT NULL,
    updated_at BIGINT NOT NULL
);
