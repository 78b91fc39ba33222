package dev.closewatch.history;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Copies SQLite's write-ahead log into the database file on a thread of its own, so that
 * the writer's commits seldom pay for it.
 * <p>
 * SQLite checkpoints by itself when a commit leaves 1,000 or more pages in the log
 * ({@code wal_autocheckpoint}): the committing thread (the {@link CloseEventWriter})
 * copies those pages and syncs the log and the database file, a stall of several
 * milliseconds every fraction of a second at 1,000 closes/s in which every close waits.
 * This checkpoints the log's new pages every {@link #INTERVAL} without taking the write
 * lock ({@code PRAGMA wal_checkpoint(PASSIVE)}), so that the automatic checkpoint finds
 * almost everything copied and synced already. The automatic one stays, and it alone can
 * start the log over from its beginning (a checkpoint of a log that grows during it never
 * completes it): when the log holds more than {@link #STAND_BACK_PAGES}, for example
 * while a burst or retention writes faster than this copies, it stands back for
 * {@link #STAND_BACK} so that the writer's checkpoint never finds it busy and the log
 * stays bounded.
 * <p>
 * Only when the list waits for the writer's commits (no {@link QueueFile}). With one, the
 * list shows a close once recorded, a stall of the writer delays nothing shown, and
 * SQLite's own checkpoints in the writer's commits, a few a second at 1,000 closes/s,
 * flush the disk a sixth as often as this every 100 ms (docs/performance.md, round 29).
 */
class SqliteCheckpointer extends OwnThreadLifecycle {

	static final Duration INTERVAL = Duration.ofMillis(100);

	static final int STAND_BACK_PAGES = 4_000;

	static final Duration STAND_BACK = Duration.ofSeconds(2);

	private static final Log logger = LogFactory.getLog(SqliteCheckpointer.class);

	private final JdbcTemplate jdbc;

	private final Clock clock;

	private final AtomicLong checkpoints = new AtomicLong();

	private volatile long copiedPages;

	private volatile long lastFailureLog;

	SqliteCheckpointer(JdbcTemplate jdbc, Clock clock) {
		super("closewatch-history-checkpoint");
		this.jdbc = jdbc;
		this.clock = clock;
	}

	@Override
	protected void schedule(ScheduledExecutorService executor) {
		executor.schedule(() -> runAndReschedule(executor), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
	}

	/**
	 * Return how many checkpoints this ran.
	 */
	long checkpoints() {
		return this.checkpoints.get();
	}

	/**
	 * Return the pages of the log in the database file at the last checkpoint this ran.
	 */
	long copiedPages() {
		return this.copiedPages;
	}

	/**
	 * Copy the pages the log holds beyond the last checkpoint, without blocking the
	 * writer.
	 * @return the pages in the log
	 */
	long checkpoint() {
		// busy, pages in the log, pages of it in the database file
		long[] result = this.jdbc.queryForObject("PRAGMA wal_checkpoint(PASSIVE)",
				(row, number) -> new long[] { row.getLong(2), row.getLong(3) });
		this.checkpoints.incrementAndGet();
		this.copiedPages = result[1];
		return result[0];
	}

	private void runAndReschedule(ScheduledExecutorService executor) {
		if (!isRunning()) {
			return;
		}
		Duration next = INTERVAL;
		try {
			if (checkpoint() > STAND_BACK_PAGES) {
				next = STAND_BACK;
			}
		}
		catch (DataAccessException ex) {
			// the writer reports the store's state; this only says why it skipped
			long now = this.clock.millis();
			if (now - this.lastFailureLog >= 60_000) {
				this.lastFailureLog = now;
				logger.debug("SQLite checkpoint skipped: " + ex.getMessage());
			}
			next = STAND_BACK;
		}
		if (isRunning()) {
			executor.schedule(() -> runAndReschedule(executor), next.toMillis(), TimeUnit.MILLISECONDS);
		}
	}

}
