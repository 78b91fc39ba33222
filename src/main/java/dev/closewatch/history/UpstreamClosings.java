package dev.closewatch.history;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * How the SQL selects one upstream's events by when they closed. PostgreSQL reads the
 * index {@code (upstream, closed_at)}. SQLite keeps no such index (a close would write a
 * page at a random place of it, the larger part of SQLite's disk traffic): it reads
 * {@code (upstream, id)} between the lowest and the highest id of the minutes the range
 * covers ({@code close_event_minute}, kept by a trigger in each insert's transaction) and
 * tests {@code closed_at} row by row. Every event closed in the range lies between those
 * ids whatever the clock did while they were recorded; {@code +closed_at} keeps SQLite's
 * planner off the {@code (closed_at)} index, which holds every upstream's events.
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
	 * The condition on the upstream's events closed at or after {@code since} and before
	 * {@code until}, either of them optional.
	 * @param upstream the upstream
	 * @param since the first instant, nanoseconds since the epoch, or {@code null}
	 * @param until the instant after the last, or {@code null}
	 * @return the condition, to be joined to others with {@code AND}
	 */
	Condition closedIn(String upstream, @Nullable Long since, @Nullable Long until) {
		StringBuilder sql = new StringBuilder("upstream = ?");
		List<Object> arguments = new ArrayList<>(List.of(upstream));
		String closedAt = this.minutes ? "+closed_at" : "closed_at";
		if (this.minutes && since != null) {
			sql.append(" AND id >= (SELECT MIN(min_id) FROM close_event_minute WHERE minute >= ?");
			arguments.add(since / MINUTE_NANOS);
			if (until != null) {
				sql.append(" AND minute <= ?");
				arguments.add(until / MINUTE_NANOS);
			}
			sql.append(')');
		}
		if (this.minutes && until != null) {
			sql.append(" AND id <= (SELECT MAX(max_id) FROM close_event_minute WHERE minute <= ?");
			arguments.add(until / MINUTE_NANOS);
			if (since != null) {
				sql.append(" AND minute >= ?");
				arguments.add(since / MINUTE_NANOS);
			}
			sql.append(')');
		}
		if (since != null) {
			sql.append(" AND ").append(closedAt).append(" >= ?");
			arguments.add(since);
		}
		if (until != null) {
			sql.append(" AND ").append(closedAt).append(" < ?");
			arguments.add(until);
		}
		return new Condition(sql.toString(), List.copyOf(arguments));
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
