-- The event's id becomes the table's own key (INTEGER PRIMARY KEY: the rowid). Until now
-- the table had a rowid of its own and a separate index on id, whose last page every commit
-- wrote (to the log, then again at the checkpoint): one page in ten of the commit, and about
-- 8 % of the file (docs/performance.md, round 21). Ids are still closewatch's, never
-- assigned by SQLite; a lookup by id now reads the table directly.
--
-- SQLite cannot change a column's key in place: the table is copied in id order, so that
-- the copy appends, and its indexes and the trigger of V6 are made again. The copy needs as
-- much free space again as the table and takes a few seconds per million events.
CREATE TABLE close_event_v7 (
    id                INTEGER NOT NULL PRIMARY KEY,
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

INSERT INTO close_event_v7 (id, upstream, started_at, opened_at, closed_at, duration, code, reason, was_clean,
        error_event, initiator, phase, handshake_status, error, error_message, attempt, messages_received,
        wire_code, wire_reason)
SELECT id, upstream, started_at, opened_at, closed_at, duration, code, reason, was_clean,
        error_event, initiator, phase, handshake_status, error, error_message, attempt, messages_received,
        wire_code, wire_reason
FROM close_event ORDER BY id;

-- drops its indexes and the trigger with it
DROP TABLE close_event;

ALTER TABLE close_event_v7 RENAME TO close_event;

-- an upstream's events newest first, and in a time range with close_event_minute (V6)
CREATE INDEX close_event_upstream_id ON close_event (upstream, id);
-- every event in a time range (summaries, retention by age)
CREATE INDEX close_event_closed_at ON close_event (closed_at);
-- the list filtered by code
CREATE INDEX close_event_code_id ON close_event (code, id);

CREATE TRIGGER close_event_minute_span AFTER INSERT ON close_event
BEGIN
    INSERT INTO close_event_minute (minute, min_id, max_id)
    VALUES (NEW.closed_at / 60000000000, NEW.id, NEW.id)
    ON CONFLICT (minute) DO UPDATE SET min_id = MIN(min_id, excluded.min_id), max_id = MAX(max_id, excluded.max_id);
END;
