-- For each minute of closed_at (nanoseconds / 60,000,000,000, truncated), the lowest and the
-- highest id of the events closed in it, kept by a trigger in each insert's own transaction.
-- One upstream's events in a time range are read through (upstream, id) between the ids of the
-- range's minutes, and their closed_at tested row by row (UpstreamClosings). That holds every
-- event closed in the range whatever the clock did while they were recorded: a clock set back
-- only gives some minutes a wider span of ids, and a read of them a longer scan.
--
-- It replaces the index (upstream, closed_at). At 1,000 closes a second each close wrote one
-- page at a random place of each per-upstream index, twice (the log, then the checkpoint): the
-- larger part of SQLite's disk traffic (docs/performance.md, rounds 17 and 20). A minute's row
-- is one page at the end of a small table, shared by every close of the commit.
--
-- Deleting events leaves their minutes as they were (a span that is too wide only lengthens a
-- scan); retention removes the minutes before the oldest event.
CREATE TABLE close_event_minute (
    minute INTEGER NOT NULL PRIMARY KEY,
    min_id BIGINT  NOT NULL,
    max_id BIGINT  NOT NULL
);

INSERT INTO close_event_minute (minute, min_id, max_id)
SELECT closed_at / 60000000000, MIN(id), MAX(id) FROM close_event GROUP BY closed_at / 60000000000;

CREATE TRIGGER close_event_minute_span AFTER INSERT ON close_event
BEGIN
    INSERT INTO close_event_minute (minute, min_id, max_id)
    VALUES (NEW.closed_at / 60000000000, NEW.id, NEW.id)
    ON CONFLICT (minute) DO UPDATE SET min_id = MIN(min_id, excluded.min_id), max_id = MAX(max_id, excluded.max_id);
END;

DROP INDEX close_event_upstream_closed_at;
