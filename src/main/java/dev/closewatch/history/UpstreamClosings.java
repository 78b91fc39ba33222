package dev.closewatch.history;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * How the SQL selects events by when they closed, one upstream's or every upstream's.
 * PostgreSQL reads the indexes {@code (upstream, closed_at)} and {@code (closed_at)}.
 * SQLite keeps neither (a close would write a page of each: at a random place of the
 * first, the larger part of SQLite's disk traffic, and the last page of the second): it
 * reads the events, by {@code (upstream, id)} or by the table's own key, between the
 * lowest and the highest id of the minutes the range covers ({@code close_event_minute},
 * kept by a trigger in each insert's transaction) and tests {@code closed_at} row by row.
 * Every event closed in the range lies between those ids whatever the clock did while
 * they were recorded; {@code +closed_at} keeps SQLite's planner from looking for an index
 * on it (files from before V8 had one).
 */
final class UpstreamClosings {

	/**
	 * The length of a row of {@code close_event_minute}, in the nanoseconds of
	 * {@code closed_at}; both Java and SQL divide truncating towards zero.
	 */
	static final long MINUTE_NANOS = 60_000_000_000L;

	private static final UpstreamClosings BY_CLOSED_AT = new UpstreamClosings(false);

	private static final UpstreamClosings BY_MINUTE_IDS = new UpstreamClosings(true);

	private final boolean minutes;

	private UpstreamClosings(boolean minutes) {
		this.minutes = minutes;
	}

	static UpstreamClosings of(HistoryStore store) {
		return (store == HistoryStore.SQLITE) ? BY_MINUTE_IDS : BY_CLOSED_AT;
	}

	/**
	 * Return whether the upstream's events are found by the ids of the minutes.
	 */
	boolean byMinuteIds() {
		return this.minutes;
	}

	/**
	 * The condition on the upstream's events, or every upstream's, closed at or after
	 * {@code since} and before {@code until}, either of them optional.
	 * @param upstream the upstream, or {@code null} for all of them
	 * @param since the first instant, nanoseconds since the epoch, or {@code null}
	 * @param until the instant after the last, or {@code null}
	 * @return the condition, to be joined to others with {@code AND}; empty when it
	 * selects every event
	 */
	Condition closedIn(@Nullable String upstream, @Nullable Long since, @Nullable Long until) {
		List<String> sql = new ArrayList<>();
		List<Object> arguments = new ArrayList<>();
		if (upstream != null) {
			sql.add("upstream = ?");
			arguments.add(upstream);
		}
		if (this.minutes && since != null) {
			sql.add("id >= (SELECT MIN(min_id) FROM close_event_minute WHERE minute >= ?"
					+ ((until != null) ? " AND minute <= ?)" : ")"));
			arguments.add(since / MINUTE_NANOS);
			if (until != null) {
				arguments.add(until / MINUTE_NANOS);
			}
		}
		if (this.minutes && until != null) {
			sql.add("id <= (SELECT MAX(max_id) FROM close_event_minute WHERE minute <= ?"
					+ ((since != null) ? " AND minute >= ?)" : ")"));
			arguments.add(until / MINUTE_NANOS);
			if (since != null) {
				arguments.add(since / MINUTE_NANOS);
			}
		}
		String closedAt = this.minutes ? "+closed_at" : "closed_at";
		if (since != null) {
			sql.add(closedAt + " >= ?");
			arguments.add(since);
		}
		if (until != null) {
			sql.add(closedAt + " < ?");
			arguments.add(until);
		}
		return new Condition(String.join(" AND ", sql), List.copyOf(arguments));
	}

	/**
	 * The column that orders events from the first closed: {@code closed_at} where it is
	 * indexed, else the id (the table's key), which follows it but for a clock set back.
	 */
	String closeOrder() {
		return this.minutes ? "id" : "closed_at";
	}

	/**
	 * A condition of a {@code WHERE} clause and the values of its parameters, in order.
	 *
	 * @param sql the condition
	 * @param arguments the values of its parameters
	 */
	record Condition(String sql, List<Object> arguments) {

	}

}
