-- Close events, one row per ended connection attempt. Instants are nanoseconds since the
-- epoch (UTC) and durations nanoseconds, so that every value reads back exactly as recorded.
-- Ids come from closewatch (unique and increasing across restarts), never from the database.
CREATE TABLE close_event (
    id                BIGINT  NOT NULL PRIMARY KEY,
    upstream          TEXT    NOT NULL,
    started_at        BIGINT  NOT NULL,
    opened_at         BIGINT,
    closed_at         BIGINT  NOT NULL,
    duration          BIGINT  NOT NULL,
    code              INTEGER NOT NULL,
    reason            TEXT    NOT NULL,
    was_clean         BOOLEAN NOT NULL,
    error_event       BOOLEAN NOT NULL,
    initiator         TEXT    NOT NULL,
    phase             TEXT    NOT NULL,
    handshake_status  INTEGER,
    error             TEXT,
    error_message     TEXT,
    attempt           INTEGER NOT NULL,
    messages_received BIGINT  NOT NULL,
    wire_code         INTEGER,
    wire_reason       TEXT
);

-- an upstream's events newest first (the list filtered by upstream) and in a time range
-- (availability, the list with since/until)
CREATE INDEX close_event_upstream_id ON close_event (upstream, id);
CREATE INDEX close_event_upstream_closed_at ON close_event (upstream, closed_at);
-- every event in a time range (summaries, retention by age)
CREATE INDEX close_event_closed_at ON close_event (closed_at);
-- the list filtered by code
CREATE INDEX close_event_code_id ON close_event (code, id);

-- Each closewatch process that wrote to this database: when it started, when it was last
-- seen alive and when it stopped. Time outside every run is a gap of unknown state, which
-- availability shows as such rather than as downtime of the upstreams.
CREATE TABLE monitor_run (
    id           TEXT   NOT NULL PRIMARY KEY,
    member       TEXT   NOT NULL,
    started_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    stopped_at   BIGINT
);

CREATE INDEX monitor_run_last_seen_at ON monitor_run (last_seen_at);
