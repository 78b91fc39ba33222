-- The list's and the summary's time ranges over every upstream, and retention by age, read the
-- events between the ids of the range's minutes (close_event_minute, V6) by the table's own key
-- and test closed_at row by row, as one upstream's ranges have since V6 (UpstreamClosings). The
-- index on closed_at is left with no reader, and every commit wrote its last page, to the log and
-- again at the checkpoint: 1.35 of the 11.3 pages of a commit of three closes, with its share of
-- the interior pages (docs/performance.md, rounds 22 and 23). PostgreSQL keeps its own.
DROP INDEX close_event_closed_at;
