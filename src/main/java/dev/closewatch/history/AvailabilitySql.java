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
	 * How many of the upstream's events the condition selects, how many of them unclean,
	 * how many of them had opened (sessions) and the sessions' total duration.
	 * Parameters: the condition's.
	 * @param closedIn the upstream's events closed in the window
	 * ({@link UpstreamClosings})
	 * @return the query
	 */
	static String counts(String closedIn) {
		return """
				SELECT COUNT(*),
				  COALESCE(SUM(CASE WHEN was_clean THEN 0 ELSE 1 END), 0),
				  COALESCE(SUM(CASE WHEN opened_at IS NULL THEN 0 ELSE 1 END), 0),
				  COALESCE(SUM(CASE WHEN opened_at IS NULL THEN 0 ELSE duration END), 0)
				FROM close_event WHERE\s""" + closedIn;
	}

	/**
	 * The middle duration (two of them for an even count) of the upstream's sessions the
	 * condition selects. Parameters: the condition's.
	 * @param closedIn the upstream's events closed in the window
	 * @return the query
	 */
	static String middleDurations(String closedIn) {
		return """
				SELECT duration FROM (
				  SELECT duration, ROW_NUMBER() OVER (ORDER BY duration) AS position, COUNT(*) OVER () AS sessions
				  FROM close_event
				  WHERE opened_at IS NOT NULL AND\s""" + closedIn + """
				) AS ranked
				WHERE position IN ((sessions + 1) / 2, (sessions + 2) / 2)""";
	}

	private static final String ROW = "SELECT CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT)";

	private AvailabilitySql() {
	}

	/**
	 * The time within {@code [since, end)} that the upstream had a session open: the
	 * length of the union of its sessions (which overlap only when two replicas hand an
	 * upstream over). Parameters: since, since, end, end, the condition's, end, and, with
	 * a live session, its id, start and end.
	 * @param closedFrom the upstream's events closed at or after {@code since} (one that
	 * closed at {@code since} adds nothing)
	 * @param live whether a session is open now
	 * @return the query
	 */
	static String open(String closedFrom, boolean live) {
		return "SELECT SUM(island_end - island_start) FROM (" + islands("""
				SELECT id, CASE WHEN opened_at < ? THEN ? ELSE opened_at END AS interval_start,
				  CASE WHEN closed_at > ? THEN ? ELSE closed_at END AS interval_end
				FROM close_event
				WHERE\s""" + closedFrom + " AND opened_at IS NOT NULL AND opened_at < ?" + row(live)) + ") AS islands";
	}

	/**
	 * The gaps between the upstream's sessions within {@code [since, end)}, longest
	 * first: {@code (gap_start, gap_end)}. Each session's gap runs from the latest close
	 * of the sessions opened before it (a running maximum rather than {@code LAG}, since
	 * sessions may overlap) to its open, and from {@code since} at the earliest: so a
	 * session with none before it in the window has a gap from {@code since}, and
	 * sessions that closed before the window need not be read. The live session or else a
	 * marker at {@code end} ends the last gap. Parameters: since, since, end, end, the
	 * condition's, end, with a live session its id, start and end, then the marker's id,
	 * end, end, and the limit.
	 * @param closedFrom the upstream's events closed at or after {@code since}
	 * @param live whether a session is open now
	 * @return the query
	 */
	static String gaps(String closedFrom, boolean live) {
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
				      WHERE\s""" + closedFrom + " AND opened_at IS NOT NULL AND opened_at < ?" + row(live)
				+ "\nUNION ALL " + ROW + """

						    ) AS sessions
						  ) AS ordered
						) AS gaps
						WHERE gap_end > gap_start
						ORDER BY gap_end - gap_start DESC, gap_start
						LIMIT ?""";
	}

	private static String row(boolean present) {
		return present ? "\nUNION ALL " + ROW : "";
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
