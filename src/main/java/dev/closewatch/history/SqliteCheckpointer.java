package dev.closewatch.history;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Copies SQLite's write-ahead log into the database file on a thread of its own, once a
 * second, and starts the log over every {@link #RESTART_PAGES} pages, so that the
 * writer's commits almost never wait for the disk.
 * <p>
 * Each checkpoint syncs the log and then the database file: two flushes to the disk. Left
 * to itself SQLite checkpoints on the committing thread whenever a commit leaves 1,000
 * pages in the log ({@code wal_autocheckpoint}): at 1,000 closes/s that is four times a
 * second, each a stall of several milliseconds in which every close waits, and (with the
 * 100 ms passive checkpoint this class ran before) some 27 flushes a second that slowed
 * the whole machine (docs/performance.md, rounds 17 and 18). Here a passive checkpoint
 * ({@code PRAGMA wal_checkpoint(PASSIVE)}, which never takes the write lock) copies the
 * log's new pages every {@link #INTERVAL}. A log copied whole is started over by the next
 * commit, but one that grows during the copy never is; so once the log holds
 * {@link #RESTART_PAGES} this follows its passive checkpoint with a full one
 * ({@code FULL}), which waits for the writer's transaction, holds the next one back while
 * it copies the few pages committed meanwhile, and so lets the next commit start the log
 * over: a pause of tens of milliseconds every few seconds at 1,000 closes/s rather than
 * several every second. The connections keep SQLite's own checkpoint at
 * {@link #AUTOCHECKPOINT_PAGES} ({@link HistoryStoreEnvironment}), so that the log stays
 * bounded if this thread falls behind or stops.
 */
class SqliteCheckpointer extends OwnThreadLifecycle {

	static final Duration INTERVAL = Duration.ofSeconds(1);

	/**
	 * The log's size in pages (of 4 KiB: 64 MiB) from which a checkpoint starts it over.
	 */
	static final int RESTART_PAGES = 16_000;

	/**
	 * SQLite's own checkpoint on each connection ({@code wal_autocheckpoint}), kept for a
	 * log that this thread does not keep bounded.
	 */
	static final int AUTOCHECKPOINT_PAGES = 2 * RESTART_PAGES;

	/**
	 * How long a full checkpoint waits for a transaction to end before it gives up.
	 */
	static final Duration FULL_WAIT = Duration.ofMillis(100);

	/**
	 * How long it waits after a failed checkpoint.
	 */
	static final Duration AFTER_FAILURE = Duration.ofSeconds(2);

	private static final Log logger = LogFactory.getLog(SqliteCheckpointer.class);

	private final JdbcTemplate jdbc;

	private final Clock clock;

	private final Duration interval;

	private final int restartPages;

	private final AtomicLong checkpoints = new AtomicLong();

	private final AtomicLong restarts = new AtomicLong();

	private volatile long copiedPages;

	private volatile long lastFailureLog;

	SqliteCheckpointer(JdbcTemplate jdbc, Clock clock) {
		this(jdbc, clock, INTERVAL, RESTART_PAGES);
	}

	SqliteCheckpointer(JdbcTemplate jdbc, Clock clock, Duration interval, int restartPages) {
		super("closewatch-history-checkpoint");
		this.jdbc = jdbc;
		this.clock = clock;
		this.interval = interval;
		this.restartPages = restartPages;
	}

	@Override
	protected void schedule(ScheduledExecutorService executor) {
		executor.schedule(() -> runAndReschedule(executor), this.interval.toMillis(), TimeUnit.MILLISECONDS);
	}

	/**
	 * Return how many checkpoints this ran.
	 */
	long checkpoints() {
		return this.checkpoints.get();
	}

	/**
	 * Return how many of them were full ones that let the log start over.
	 */
	long restarts() {
		return this.restarts.get();
	}

	/**
	 * Return the pages of the log in the database file at the last checkpoint this ran.
	 */
	long copiedPages() {
		return this.copiedPages;
	}

	/**
	 * Copy the pages the log holds beyond the last checkpoint without blocking the writer
	 * and, once the log holds {@code restartPages}, copy the rest while holding the
	 * writer back so that its next commit starts the log over.
	 * @return the pages in the log at the passive checkpoint
	 */
	long checkpoint() {
		long[] passive = this.jdbc
			.execute((ConnectionCallback<long[]>) (connection) -> checkpoint(connection, "PASSIVE"));
		if (passive[1] >= this.restartPages) {
			long[] full = this.jdbc.execute(this::full);
			if (full[0] == 0) {
				this.restarts.incrementAndGet();
			}
		}
		return passive[1];
	}

	// the full checkpoint holds the writer back while it waits, so it waits for a reader
	// of an older snapshot (or a writer's transaction) no longer than FULL_WAIT: then it
	// is tried again at the next interval
	private long[] full(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement()) {
			long busyTimeout;
			try (ResultSet row = statement.executeQuery("PRAGMA busy_timeout")) {
				row.next();
				busyTimeout = row.getLong(1);
			}
			statement.execute("PRAGMA busy_timeout = " + FULL_WAIT.toMillis());
			try {
				return checkpoint(connection, "FULL");
			}
			finally {
				statement.execute("PRAGMA busy_timeout = " + busyTimeout);
			}
		}
	}

	// busy (1 when a full checkpoint could not finish), pages in the log, pages of it in
	// the database file
	private long[] checkpoint(Connection connection, String mode) throws SQLException {
		try (Statement statement = connection.createStatement();
				ResultSet row = statement.executeQuery("PRAGMA wal_checkpoint(" + mode + ")")) {
			row.next();
			long[] result = { row.getLong(1), row.getLong(2), row.getLong(3) };
			this.checkpoints.incrementAndGet();
			this.copiedPages = result[2];
			return result;
		}
	}

	private void runAndReschedule(ScheduledExecutorService executor) {
		if (!isRunning()) {
			return;
		}
		Duration next = this.interval;
		try {
			checkpoint();
		}
		catch (DataAccessException ex) {
			// the writer reports the store's state; this only says why it skipped
			long now = this.clock.millis();
			if (now - this.lastFailureLog >= 60_000) {
				this.lastFailureLog = now;
				logger.debug("SQLite checkpoint skipped: " + ex.getMessage());
			}
			next = AFTER_FAILURE;
		}
		if (isRunning()) {
			executor.schedule(() -> runAndReschedule(executor), next.toMillis(), TimeUnit.MILLISECONDS);
		}
	}

}
