package dev.closewatch.history;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.closewatch.history.Availability.Sessions;
import dev.closewatch.history.UpstreamClosings.Condition;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Availability computed in SQL on the {@code close_event} and {@code monitor_run} tables,
 * in the SQL both SQLite and PostgreSQL understand. Each query reads only the upstream's
 * events closed from {@code since} on ({@link UpstreamClosings}), since a session
 * overlapping the window closed within it or after it (for a window in the past that is
 * up to the newest event, which retention bounds); what comes back to the JVM is a few
 * sums, the merged monitor runs and the longest gaps between sessions.
 */
class JdbcAvailability {

	private static final int FIRST_GAPS = 10;

	// ids beyond any event's, so that these rows sort after real sessions opened at the
	// same instant
	private static final long LIVE_SESSION_ID = Long.MAX_VALUE - 1;

	private static final long END_MARKER_ID = Long.MAX_VALUE;

	private final JdbcTemplate jdbc;

	private final String currentRun;

	private final Clock clock;

	private final UpstreamClosings closings;

	/**
	 * Create availability queries on the store.
	 * @param jdbc the store's database
	 * @param store which database it is
	 * @param currentRun the id of this process's monitor run, which counts as running up
	 * to now rather than to its last heartbeat
	 * @param clock the clock
	 */
	JdbcAvailability(JdbcTemplate jdbc, HistoryStore store, String currentRun, Clock clock) {
		this.jdbc = jdbc;
		this.closings = UpstreamClosings.of(store);
		this.currentRun = currentRun;
		this.clock = clock;
	}

	Availability availability(AvailabilityQuery query) {
		ObservedWindow window = ObservedWindow.of(query, this.clock.instant());
		Interval live = window.liveSession(query.openSince());
		List<Interval> monitored = monitored(window);
		Condition closedIn = this.closings.closedIn(query.upstream(), CloseEventRows.nanos(query.since()),
				CloseEventRows.nanos(query.until()));
		long[] counts = this.jdbc.queryForObject(AvailabilitySql.counts(closedIn.sql()),
				(row, number) -> new long[] { row.getLong(1), row.getLong(2), row.getLong(3), row.getLong(4) },
				closedIn.arguments().toArray());
		return window.availability(monitored, open(query, window, live), counts[0], counts[1],
				sessions(closedIn, counts[2], counts[3]), longestOutage(query, window, live, monitored));
	}

	private List<Interval> monitored(ObservedWindow window) {
		long since = CloseEventRows.nanos(window.since());
		long end = CloseEventRows.nanos(window.end());
		return this.jdbc.query(AvailabilitySql.MONITORED,
				(row, number) -> new Interval(CloseEventRows.instant(row.getLong(1)),
						CloseEventRows.instant(row.getLong(2))),
				since, since, end, end, this.currentRun, end, end, since);
	}

	private Duration open(AvailabilityQuery query, ObservedWindow window, @Nullable Interval live) {
		Condition closedFrom = closedFrom(query, window);
		List<Object> arguments = sessionArguments(window, closedFrom);
		String sql = AvailabilitySql.open(closedFrom.sql(), live != null);
		if (live != null) {
			arguments.addAll(row(LIVE_SESSION_ID, live));
		}
		Long open = this.jdbc.queryForObject(sql, Long.class, arguments.toArray());
		return Duration.ofNanos((open != null) ? open : 0);
	}

	private @Nullable Interval longestOutage(AvailabilityQuery query, ObservedWindow window, @Nullable Interval live,
			List<Interval> monitored) {
		Condition closedFrom = closedFrom(query, window);
		List<Object> arguments = sessionArguments(window, closedFrom);
		if (live != null) {
			arguments.addAll(row(LIVE_SESSION_ID, live));
		}
		arguments.addAll(row(END_MARKER_ID, new Interval(window.end(), window.end())));
		String sql = AvailabilitySql.gaps(closedFrom.sql(), live != null);
		LongestOutage outage = new LongestOutage(monitored);
		int limit = FIRST_GAPS;
		while (true) {
			List<Object> page = new ArrayList<>(arguments);
			page.add(limit);
			List<Interval> gaps = this.jdbc.query(sql,
					(row, number) -> new Interval(CloseEventRows.instant(row.getLong(1)),
							CloseEventRows.instant(row.getLong(2))),
					page.toArray());
			boolean more = true;
			for (Interval gap : gaps) {
				more = outage.offer(gap);
				if (!more) {
					break;
				}
			}
			// rarely: the longest gaps lay mostly outside the monitor runs
			if (!more || gaps.size() < limit) {
				return outage.longest();
			}
			limit *= 4;
		}
	}

	private Condition closedFrom(AvailabilityQuery query, ObservedWindow window) {
		return this.closings.closedIn(query.upstream(), CloseEventRows.nanos(window.since()), null);
	}

	// the parameters that AvailabilitySql.open and gaps share: since, since, end, end,
	// the condition's, end
	private static List<Object> sessionArguments(ObservedWindow window, Condition closedFrom) {
		long since = CloseEventRows.nanos(window.since());
		long end = CloseEventRows.nanos(window.end());
		List<Object> arguments = new ArrayList<>(List.of(since, since, end, end));
		arguments.addAll(closedFrom.arguments());
		arguments.add(end);
		return arguments;
	}

	private Sessions sessions(Condition closedIn, long count, long totalNanos) {
		if (count == 0) {
			return Sessions.of(0, 0, 0);
		}
		List<Long> middle = this.jdbc.queryForList(AvailabilitySql.middleDurations(closedIn.sql()), Long.class,
				closedIn.arguments().toArray());
		if (middle.isEmpty()) {
			// removed by retention in between
			return Sessions.of(0, 0, 0);
		}
		long median = middle.stream().mapToLong(Long::longValue).sum() / middle.size();
		return Sessions.of(count, totalNanos, median);
	}

	private static List<Object> row(long id, Interval interval) {
		return List.of(id, CloseEventRows.nanos(interval.start()), CloseEventRows.nanos(interval.end()));
	}

}
