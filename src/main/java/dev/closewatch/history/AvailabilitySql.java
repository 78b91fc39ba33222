package dev.closewatch.history;

/**
 * The SQL of {@link JdbcAvailability}, in the dialect SQLite (3.25 and later: window
 * functions) and PostgreSQL share: {@code CASE} instead of {@code LEAST} and
 * {@code GREATEST}, booleans tested as {@code CASE WHEN was_clean}, which SQLite's 0 and
 * 1 satisfy too. Instants are nanoseconds since the epoch. {@code end} below is the end
 * of the part of the window that can have been observed: {@code until} or now, whichever
 * comes first.
 */
final class AvailabilitySql {

	/**
	 * The spans closewatch was running within {@code [since, end)}, merged, in time
	 * order: {@code (island_start, island_end)}. A run lasts from {@code started_at} to
	 * {@code stopped_at}, or to its last heartbeat if it never stopped (it crashed), or
	 * to now if it is this process's run. Parameters: since, since, end, end, this run's
	 * id, end, end, since.
	 */
	static final String MONITORED = islands("""
			SELECT id, CASE WHEN started_at < ? THEN ? ELSE started_at END AS interval_start,
			  CASE WHEN run_end > ? THEN ? ELSE run_end END AS interval_end
			FROM (SELECT id, started_at,
			    CASE WHEN id = ? THEN ? ELSE COALESCE(stopped_at, last_seen_at) END AS run_end
			  FROM monitor_run WHERE started_at < ?) AS runs
			WHERE run_end > ?""") + " ORDER BY island_start";

	/**
	 * How many of the upstream's events closed in {@code [since, until)}, how many of
	 * them unclean, how many of them had opened (sessions) and the sessions' total
	 * duration. Parameters: upstream, since, until.
	 */
	static final String COUNTS = """
			SELECT COUNT(*),
			  COALESCE(SUM(CASE WHEN was_clean THEN 0 ELSE 1 END), 0),
			  COALESCE(SUM(CASE WHEN opened_at IS NULL THEN 0 ELSE 1 END), 0),
			  COALESCE(SUM(CASE WHEN opened_at IS NULL THEN 0 ELSE duration END), 0)
			FROM close_event WHERE upstream = ? AND closed_at >= ? AND closed_at < ?""";

	/**
	 * The middle duration (two of them for an even count) of the upstream's sessions
	 * closed in {@code [since, until)}. Parameters: upstream, since, until.
	 */
	static final String MIDDLE_DURATIONS = """
			SELECT duration FROM (
			  SELECT duration, ROW_NUMBER() OVER (ORDER BY duration) AS position, COUNT(*) OVER () AS sessions
			  FROM close_event
			  WHERE upstream = ? AND opened_at IS NOT NULL AND closed_at >= ? AND closed_at < ?) AS ranked
			WHERE position IN ((sessions + 1) / 2, (sessions + 2) / 2)""";

	private static final String ROW = "SELECT CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT)";

	private AvailabilitySql() {
	}

	/**
	 * The time within {@code [since, end)} that the upstream had a session open: the
	 * length of the union of its sessions (which overlap only when two replicas hand an
	 * upstream over). Parameters: since, since, end, end, upstream, since, end, and, with
	 * a live session, its id, start and end.
	 */
	static String open(boolean live) {
		return "SELECT SUM(island_end - island_start) FROM (" + islands("""
				SELECT id, CASE WHEN opened_at < ? THEN ? ELSE opened_at END AS interval_start,
				  CASE WHEN closed_at > ? THEN ? ELSE closed_at END AS interval_end
				FROM close_event
				WHERE upstream = ? AND opened_at IS NOT NULL AND closed_at > ? AND opened_at < ?""" + live(live))
				+ ") AS islands";
	}

	/**
	 * The gaps between the upstream's sessions within {@code [since, end)}, longest
	 * first: {@code (gap_start, gap_end)}. Each session's gap runs from the latest close
	 * of the sessions opened before it (a running maximum rather than {@code LAG}, since
	 * sessions may overlap) to its open; the session that closed last before the window
	 * starts the first gap, the live session or else a marker at {@code end} ends the
	 * last. A session with none before it has a gap from {@code since}. Parameters:
	 * since, since, end, end, upstream, since, end, upstream, since, with a live session
	 * its id, start and end, then the marker's id, end, end, and the limit.
	 */
	static String gaps(boolean live) {
		return """
				SELECT gap_start, gap_end FROM (
				  SELECT CASE WHEN previous_close IS NULL OR previous_close < ? THEN ? ELSE previous_close END
				      AS gap_start,
				    CASE WHEN opened_at > ? THEN ? ELSE opened_at END AS gap_end
				  FROM (
				    SELECT opened_at, MAX(closed_at) OVER (ORDER BY opened_at, id
				        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS previous_close
				    FROM (
				      SELECT id, opened_at, closed_at FROM close_event
				      WHERE upstream = ? AND opened_at IS NOT NULL AND closed_at >= ? AND opened_at < ?
				      UNION ALL
				      SELECT id, opened_at, closed_at FROM (
				        SELECT id, opened_at, closed_at FROM close_event
				        WHERE upstream = ? AND opened_at IS NOT NULL AND closed_at < ?
				        ORDER BY closed_at DESC LIMIT 1) AS before_window""" + live(live) + "\nUNION ALL " + ROW + """

				    ) AS sessions
				  ) AS ordered
				) AS gaps
				WHERE gap_end > gap_start
				ORDER BY gap_end - gap_start DESC, gap_start
				LIMIT ?""";
	}

	private static String live(boolean live) {
		return live ? "\nUNION ALL " + ROW : "";
	}

	/**
	 * Merge intervals {@code (id, interval_start, interval_end)} into disjoint islands
	 * {@code (island_start, island_end)}: an interval starting after the latest end of
	 * all before it starts a new island.
	 */
	private static String islands(String intervals) {
		return """
				SELECT MIN(interval_start) AS island_start, MAX(interval_end) AS island_end FROM (
				  SELECT interval_start, interval_end,
				    SUM(CASE WHEN previous_end IS NULL OR interval_start > previous_end THEN 1 ELSE 0 END)
				      OVER (ORDER BY interval_start, id ROWS UNBOUNDED PRECEDING) AS island
				  FROM (
				    SELECT id, interval_start, interval_end, MAX(interval_end) OVER (ORDER BY interval_start, id
				        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS previous_end
				    FROM (
				""" + intervals + """

				    ) AS intervals
				    WHERE interval_end > interval_start
				  ) AS ordered
				) AS numbered
				GROUP BY island""";
	}

}
