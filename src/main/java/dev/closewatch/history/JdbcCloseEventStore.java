package dev.closewatch.history;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.closewatch.closeevent.CloseEvent;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.core.ArgumentPreparedStatementSetter;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The {@code close_event} and {@code monitor_run} tables of a SQLite or PostgreSQL
 * database, in the SQL both understand. Writes come from one thread at a time (the
 * {@link CloseEventWriter}, and retention in small transactions); reads from any.
 * <p>
 * On PostgreSQL the events' transactions commit with their own
 * {@code synchronous_commit}: made once a session on the writer's own connection
 * ({@link HistoryWriterPool}), or, when the application's data source is not a pool that
 * can be copied, carried by every INSERT on the shared one.
 */
class JdbcCloseEventStore implements AutoCloseable {

	// the events' inserts when the writer has no pool of its own
	private final DataSource shared;

	private final @Nullable HikariDataSource writerPool;

	// the writer's connection, kept between batches, when it has a pool of its own
	private final @Nullable HeldConnection held;

	private final JdbcTemplate jdbc;

	private final HistoryStore store;

	private final String insert;

	// whether each INSERT carries the synchronous_commit (PostgreSQL on the shared
	// source)
	private final boolean bindsSynchronousCommit;

	private final SynchronousCommit synchronousCommit;

	// SQLite lets one connection write at a time, and one that finds the file
	// locked polls for it, sleeping 1, 2, 5, 10, 15, 20, 25... ms between tries
	// (sqliteDefaultBusyCallback in https://sqlite.org/src/file/src/main.c): a
	// commit of the writer that met a delete of retention waited up to twice as
	// long as the delete held the lock. This process's writes take turns on a
	// fair lock instead, handed over the moment its holder is done; SQLite's busy
	// timeout remains for other processes (a backup). PostgreSQL's deletes never
	// hold up an insert.
	private final @Nullable ReentrantLock sqliteWrites;

	private final UpstreamClosings closings;

	/**
	 * Create the store, writing the events through the data source too.
	 * @param dataSource the database
	 * @param store which database it is
	 * @param synchronousCommit PostgreSQL's {@code synchronous_commit} for the events'
	 * transactions (not used with SQLite)
	 */
	JdbcCloseEventStore(DataSource dataSource, HistoryStore store, SynchronousCommit synchronousCommit) {
		this(dataSource, null, store, synchronousCommit);
	}

	private JdbcCloseEventStore(DataSource dataSource, @Nullable HikariDataSource writerPool, HistoryStore store,
			SynchronousCommit synchronousCommit) {
		this.writerPool = writerPool;
		this.shared = dataSource;
		this.held = (writerPool != null) ? new HeldConnection(writerPool) : null;
		this.jdbc = new JdbcTemplate(dataSource);
		this.store = store;
		this.bindsSynchronousCommit = store == HistoryStore.POSTGRESQL && writerPool == null;
		this.insert = this.bindsSynchronousCommit ? CloseEventRows.INSERT_POSTGRESQL : CloseEventRows.INSERT;
		this.synchronousCommit = synchronousCommit;
		this.sqliteWrites = (store == HistoryStore.SQLITE) ? new ReentrantLock(true) : null;
		this.closings = UpstreamClosings.of(store);
	}

	/**
	 * Create the store; on PostgreSQL, the events are written on the writer's own
	 * connection ({@link HistoryWriterPool}) when the data source is a Hikari pool.
	 * @param dataSource the database
	 * @param store which database it is
	 * @param synchronousCommit PostgreSQL's {@code synchronous_commit} for the events'
	 * transactions (not used with SQLite)
	 * @return the store, to be closed when no longer used
	 */
	static JdbcCloseEventStore create(DataSource dataSource, HistoryStore store, SynchronousCommit synchronousCommit) {
		HikariDataSource writerPool = (store == HistoryStore.POSTGRESQL)
				? HistoryWriterPool.create(dataSource, synchronousCommit) : null;
		return new JdbcCloseEventStore(dataSource, writerPool, store, synchronousCommit);
	}

	/**
	 * Close the writer's own pool, if it has one.
	 */
	@Override
	public void close() {
		if (this.held != null) {
			this.held.close();
		}
		if (this.writerPool != null) {
			this.writerPool.close();
		}
	}

	/**
	 * Return whether the events are written on the writer's own connection.
	 */
	boolean writesOnOwnConnection() {
		return this.writerPool != null;
	}

	HistoryStore store() {
		return this.store;
	}

	/**
	 * Return PostgreSQL's {@code synchronous_commit} for the events' transactions (not
	 * used with SQLite).
	 */
	SynchronousCommit synchronousCommit() {
		return this.synchronousCommit;
	}

	/**
	 * Return SQLite's {@code synchronous} as its connections have it (set by
	 * {@code closewatch.history.sqlite.synchronous}, or by a
	 * {@code spring.datasource.url} of the user's own).
	 */
	String sqliteSynchronous() {
		Integer code = this.jdbc.queryForObject("PRAGMA synchronous", Integer.class);
		return (code != null) ? SqliteSynchronous.settingOf(code) : "unknown";
	}

	/**
	 * Return the SQLite file's page size in bytes ({@link SqliteNewFile}).
	 */
	int sqlitePageSize() {
		Integer bytes = this.jdbc.queryForObject("PRAGMA page_size", Integer.class);
		return (bytes != null) ? bytes : 0;
	}

	/**
	 * Write the events in one transaction (on PostgreSQL, one per few hundred events).
	 * Events already stored (a batch retried after a lost commit answer, or cut in two
	 * and failed halfway) are skipped.
	 * @param events the events, in id order
	 * @throws SQLException if the database did not take them; a batch of at most a few
	 * hundred events was not written at all then
	 */
	void insert(List<CloseEvent> events) throws SQLException {
		if (this.held != null) {
			this.held.run((connection) -> insert(connection, events));
			return;
		}
		try (Connection connection = this.shared.getConnection()) {
			lockWrites();
			try {
				insert(connection, events);
			}
			finally {
				unlockWrites();
			}
		}
	}

	private int insert(Connection connection, List<CloseEvent> events) throws SQLException {
		if (events.size() == 1 || this.store == HistoryStore.POSTGRESQL) {
			return insertAutoCommitted(connection, events);
		}
		connection.setAutoCommit(false);
		try (PreparedStatement statement = connection.prepareStatement(this.insert)) {
			for (CloseEvent event : events) {
				bind(statement, event);
				statement.addBatch();
			}
			statement.executeBatch();
			connection.commit();
			return events.size();
		}
		catch (SQLException | RuntimeException ex) {
			rollback(connection, ex);
			throw ex;
		}
		finally {
			restoreAutoCommit(connection);
		}
	}

	// One round trip to PostgreSQL instead of two (the rows, then COMMIT). The usual
	// batch at 1,000 closes a second is one row, a statement that commits by itself.
	// A larger one (the closes that queued during a collector pause, the slowest to
	// show) goes out as one pipeline closed by one Sync, whose statements the server
	// runs as one implicit transaction: as atomic as BEGIN ... COMMIT. pgjdbc closes a
	// pipeline early only when the answers could overflow its receive buffer (64,000
	// bytes at 250 a statement: 256 rows), and a batch cut there that fails halfway is
	// retried whole, which ON CONFLICT DO NOTHING makes safe. SQLite's autocommit would
	// commit each row by itself.
	private int insertAutoCommitted(Connection connection, List<CloseEvent> events) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(this.insert)) {
			if (!connection.getAutoCommit()) {
				connection.setAutoCommit(true);
			}
			if (events.size() == 1) {
				bind(statement, events.get(0));
				return statement.executeUpdate();
			}
			for (CloseEvent event : events) {
				bind(statement, event);
				statement.addBatch();
			}
			statement.executeBatch();
			return events.size();
		}
	}

	private void bind(PreparedStatement statement, CloseEvent event) throws SQLException {
		CloseEventRows.bind(statement, event);
		if (this.bindsSynchronousCommit) {
			statement.setString(CloseEventRows.SYNCHRONOUS_COMMIT_PARAMETER, this.synchronousCommit.setting());
		}
	}

	List<CloseEvent> find(CloseEventQuery query) {
		if (query.limit() <= 0) {
			return List.of();
		}
		StringBuilder sql = new StringBuilder("SELECT ").append(CloseEventRows.COLUMNS).append(" FROM close_event");
		List<Object> arguments = new ArrayList<>();
		Where where = new Where(sql, arguments);
		Long since = (query.since() != null) ? CloseEventRows.nanos(query.since()) : null;
		Long until = (query.until() != null) ? CloseEventRows.nanos(query.until()) : null;
		if (query.upstream() != null) {
			where.and(this.closings.closedIn(query.upstream(), since, until));
		}
		else {
			where.and("closed_at >= ?", since);
			where.and("closed_at < ?", until);
		}
		where.and("code = ?", query.code());
		where.and("was_clean = ?", query.wasClean());
		where.and("id < ?", query.beforeId());
		sql.append(" ORDER BY id DESC LIMIT ?");
		arguments.add(query.limit());
		return List
			.copyOf(this.jdbc.query(sql.toString(), (row, number) -> CloseEventRows.read(row), arguments.toArray()));
	}

	/**
	 * Return the highest id stored, {@code 0} when there is none.
	 */
	long highestId() {
		Long highest = this.jdbc.queryForObject("SELECT MAX(id) FROM close_event", Long.class);
		return (highest != null) ? highest : 0;
	}

	long count() {
		Long count = this.jdbc.queryForObject("SELECT COUNT(*) FROM close_event", Long.class);
		return (count != null) ? count : 0;
	}

	/**
	 * Delete at most {@code limit} of the oldest events closed before the instant.
	 * @return how many were deleted
	 */
	int deleteClosedBefore(Instant instant, int limit) {
		return update(
				"DELETE FROM close_event WHERE id IN "
						+ "(SELECT id FROM close_event WHERE closed_at < ? ORDER BY closed_at LIMIT ?)",
				CloseEventRows.nanos(instant), limit);
	}

	/**
	 * Delete the {@code limit} events with the lowest ids.
	 * @return how many were deleted
	 */
	int deleteOldest(int limit) {
		return update("DELETE FROM close_event WHERE id IN (SELECT id FROM close_event ORDER BY id LIMIT ?)", limit);
	}

	void startRun(MonitorRun run) {
		update("INSERT INTO monitor_run (id, member, started_at, last_seen_at) VALUES (?, ?, ?, ?)", run.id(),
				run.member(), CloseEventRows.nanos(run.startedAt()), CloseEventRows.nanos(run.startedAt()));
	}

	// the writer's heartbeat: on its own connection when it has one, which this keeps
	// tested
	void runSeen(String id, Instant at) {
		writerUpdate("UPDATE monitor_run SET last_seen_at = ? WHERE id = ?", CloseEventRows.nanos(at), id);
	}

	void stopRun(String id, Instant at) {
		writerUpdate("UPDATE monitor_run SET last_seen_at = ?, stopped_at = ? WHERE id = ?", CloseEventRows.nanos(at),
				CloseEventRows.nanos(at), id);
	}

	private void writerUpdate(String sql, Object... arguments) {
		if (this.held == null) {
			update(sql, arguments);
			return;
		}
		// only PostgreSQL's writer holds a connection of its own: no turns to take
		try {
			this.held.run((connection) -> {
				try (PreparedStatement statement = connection.prepareStatement(sql)) {
					new ArgumentPreparedStatementSetter(arguments).setValues(statement);
					return statement.executeUpdate();
				}
			});
		}
		catch (SQLException ex) {
			DataAccessException translated = this.jdbc.getExceptionTranslator().translate("writer", sql, ex);
			throw (translated != null) ? translated : new UncategorizedSQLException("writer", sql, ex);
		}
	}

	/**
	 * Return whether the writer holds a connection of its own now.
	 */
	boolean holdsWriterConnection() {
		return this.held != null && this.held.holds();
	}

	/**
	 * The runs that overlap the interval, each as the span it was known to be running.
	 */
	List<Interval> runsBetween(Instant since, Instant until) {
		return this.jdbc.query(
				"SELECT started_at, last_seen_at FROM monitor_run WHERE last_seen_at > ? AND started_at < ? "
						+ "ORDER BY started_at",
				(row, number) -> new Interval(CloseEventRows.instant(row.getLong(1)),
						CloseEventRows.instant(row.getLong(2))),
				CloseEventRows.nanos(since), CloseEventRows.nanos(until));
	}

	/**
	 * Remove the minutes of SQLite's {@code close_event_minute} before the oldest event
	 * left (all of them when none is left), once retention has deleted events: they would
	 * only widen scans. PostgreSQL keeps no such table.
	 * @return how many were removed
	 */
	int forgetMinutesBeforeOldest() {
		if (!this.closings.byMinuteIds()) {
			return 0;
		}
		return update("DELETE FROM close_event_minute WHERE minute < COALESCE("
				+ "(SELECT MIN(closed_at) FROM close_event) / ?, (SELECT MAX(minute) + 1 FROM close_event_minute))",
				UpstreamClosings.MINUTE_NANOS);
	}

	/**
	 * Ask the database to refresh what its planner knows of the tables (SQLite's
	 * {@code PRAGMA optimize}; PostgreSQL's autovacuum does this by itself).
	 */
	void optimize() {
		if (this.store == HistoryStore.SQLITE) {
			update("PRAGMA optimize");
		}
	}

	// the connection first, then the turn: a turn is never held waiting for a connection
	private int update(String sql, Object... arguments) {
		if (this.sqliteWrites == null) {
			return this.jdbc.update(sql, arguments);
		}
		Integer updated = this.jdbc.execute((ConnectionCallback<Integer>) (connection) -> {
			lockWrites();
			try {
				return execute(connection, sql, arguments);
			}
			finally {
				unlockWrites();
			}
		});
		return (updated != null) ? updated : 0;
	}

	private static int execute(Connection connection, String sql, Object... arguments) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(sql)) {
			new ArgumentPreparedStatementSetter(arguments).setValues(statement);
			return statement.execute() ? 0 : statement.getUpdateCount();
		}
	}

	private void lockWrites() {
		if (this.sqliteWrites != null) {
			this.sqliteWrites.lock();
		}
	}

	private void unlockWrites() {
		if (this.sqliteWrites != null) {
			this.sqliteWrites.unlock();
		}
	}

	JdbcTemplate jdbc() {
		return this.jdbc;
	}

	// a connection that broke mid-batch fails this too ("Connection is closed"), which
	// must not replace the failure that broke it; the pool discards such a connection
	private static void restoreAutoCommit(Connection connection) {
		try {
			connection.setAutoCommit(true);
		}
		catch (SQLException ex) {
			// the write's own outcome stands: committed, or the failure being thrown
		}
	}

	private static void rollback(Connection connection, Exception failure) {
		try {
			connection.rollback();
		}
		catch (SQLException ex) {
			failure.addSuppressed(ex);
		}
	}

	/**
	 * Appends {@code WHERE} conditions for the filters that are set.
	 */
	private static final class Where {

		private final StringBuilder sql;

		private final List<Object> arguments;

		private boolean first = true;

		Where(StringBuilder sql, List<Object> arguments) {
			this.sql = sql;
			this.arguments = arguments;
		}

		void and(String condition, @Nullable Object value) {
			if (value != null) {
				and(new UpstreamClosings.Condition(condition, List.of(value)));
			}
		}

		void and(UpstreamClosings.Condition condition) {
			this.sql.append(this.first ? " WHERE " : " AND ").append(condition.sql());
			this.arguments.addAll(condition.arguments());
			this.first = false;
		}

	}

}
