package dev.closewatch.history;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;

import dev.closewatch.closeevent.CloseEvent;
import dev.closewatch.closeevent.Initiator;
import dev.closewatch.closeevent.Phase;
import org.jspecify.annotations.Nullable;

/**
 * How a {@link CloseEvent} is written to and read from the {@code close_event} table.
 * Instants are nanoseconds since the epoch and durations nanoseconds, so that an event
 * reads back equal to the one recorded.
 */
final class CloseEventRows {

	static final String COLUMNS = "id, upstream, started_at, opened_at, closed_at, duration, code, reason, was_clean, "
			+ "error_event, initiator, phase, handshake_status, error, error_message, attempt, messages_received, "
			+ "wire_code, wire_reason";

	// a batch retried after a commit whose answer was lost must not fail on its own rows
	static final String INSERT = "INSERT INTO close_event (" + COLUMNS
			+ ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING";

	/**
	 * {@link #INSERT} for PostgreSQL, committed with the {@code synchronous_commit} bound
	 * as the last parameter: for a writer that shares a data source which is not a Hikari
	 * pool (otherwise the writer's own sessions carry the setting,
	 * {@link HistoryWriterPool}). {@code set_config(…, true)} is {@code SET LOCAL} as a
	 * function: it holds for the statement's own transaction, whose commit reads it, and
	 * is gone after it. So the setting travels with the row in the same round trip
	 * (autocommit: one round trip a close) and never stays on the pooled connection's
	 * session, which other work shares.
	 */
	static final String INSERT_POSTGRESQL = "INSERT INTO close_event (" + COLUMNS
			+ ") SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? "
			+ "FROM (SELECT set_config('synchronous_commit', ?, true)) AS commit_setting ON CONFLICT (id) DO NOTHING";

	/**
	 * The parameter of {@link #INSERT_POSTGRESQL} that takes the
	 * {@code synchronous_commit}.
	 */
	static final int SYNCHRONOUS_COMMIT_PARAMETER = 20;

	private CloseEventRows() {
	}

	static void bind(PreparedStatement statement, CloseEvent event) throws SQLException {
		statement.setLong(1, event.id());
		statement.setString(2, event.upstream());
		statement.setLong(3, nanos(event.startedAt()));
		setLong(statement, 4, (event.openedAt() != null) ? nanos(event.openedAt()) : null);
		statement.setLong(5, nanos(event.closedAt()));
		statement.setLong(6, event.duration().toNanos());
		statement.setInt(7, event.code());
		statement.setString(8, event.reason());
		statement.setBoolean(9, event.wasClean());
		statement.setBoolean(10, event.errorEvent());
		statement.setString(11, event.initiator().name());
		statement.setString(12, event.phase().name());
		setInt(statement, 13, event.handshakeStatus());
		statement.setString(14, event.error());
		statement.setString(15, event.errorMessage());
		statement.setInt(16, event.attempt());
		statement.setLong(17, event.messagesReceived());
		setInt(statement, 18, event.wireCode());
		statement.setString(19, event.wireReason());
	}

	static CloseEvent read(ResultSet row) throws SQLException {
		return new CloseEvent(row.getLong("id"), row.getString("upstream"), instant(row.getLong("started_at")),
				nullableInstant(row, "opened_at"), instant(row.getLong("closed_at")),
				Duration.ofNanos(row.getLong("duration")), row.getInt("code"), row.getString("reason"),
				row.getBoolean("was_clean"), row.getBoolean("error_event"),
				Initiator.valueOf(row.getString("initiator")), Phase.valueOf(row.getString("phase")),
				nullableInt(row, "handshake_status"), row.getString("error"), row.getString("error_message"),
				row.getInt("attempt"), row.getLong("messages_received"), nullableInt(row, "wire_code"),
				row.getString("wire_reason"));
	}

	static long nanos(Instant instant) {
		return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
	}

	static Instant instant(long nanos) {
		return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
	}

	private static @Nullable Instant nullableInstant(ResultSet row, String column) throws SQLException {
		long value = row.getLong(column);
		return row.wasNull() ? null : instant(value);
	}

	private static @Nullable Integer nullableInt(ResultSet row, String column) throws SQLException {
		int value = row.getInt(column);
		return row.wasNull() ? null : value;
	}

	private static void setLong(PreparedStatement statement, int index, @Nullable Long value) throws SQLException {
		if (value != null) {
			statement.setLong(index, value);
		}
		else {
			statement.setNull(index, Types.BIGINT);
		}
	}

	private static void setInt(PreparedStatement statement, int index, @Nullable Integer value) throws SQLException {
		if (value != null) {
			statement.setInt(index, value);
		}
		else {
			statement.setNull(index, Types.INTEGER);
		}
	}

}
