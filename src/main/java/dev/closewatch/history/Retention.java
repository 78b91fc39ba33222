package dev.closewatch.history;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DataAccessException;

/**
 * Removes the events a durable store no longer keeps: older than {@code max-age}, or
 * beyond the newest {@code max-events}. It runs every {@code interval} on a thread of its
 * own, off the close path and off the shared scheduler, and deletes in transactions of at
 * most {@code batch-size} events with a pause between them, so that the writer (which
 * SQLite lets write one at a time) never waits long. Nothing else removes events: an
 * upstream that is no longer configured keeps its history until retention takes it.
 */
class Retention extends OwnThreadLifecycle {

	private static final Log logger = LogFactory.getLog(Retention.class);

	// between two delete transactions: room for the writer's commits
	private static final long PAUSE_MILLIS = 20;

	private final JdbcCloseEventStore store;

	private final HistoryProperties.Retention settings;

	private final Clock clock;

	private final AtomicLong byAge = new AtomicLong();

	private final AtomicLong byCount = new AtomicLong();

	Retention(JdbcCloseEventStore store, HistoryProperties.Retention settings, Clock clock) {
		super("closewatch-history-retention");
		this.store = store;
		this.settings = settings;
		this.clock = clock;
	}

	@Override
	protected void schedule(ScheduledExecutorService executor) {
		long interval = this.settings.interval().toMillis();
		executor.scheduleWithFixedDelay(this::runSafely, Math.min(interval, 10_000), interval, TimeUnit.MILLISECONDS);
	}

	long evictedByAge() {
		return this.byAge.get();
	}

	long evictedByCount() {
		return this.byCount.get();
	}

	/**
	 * Remove what retention no longer keeps, now.
	 */
	void run() {
		Instant cutoff = this.clock.instant().minus(this.settings.maxAge());
		int batch = this.settings.batchSize();
		long removed = 0;
		int deleted;
		do {
			deleted = this.store.deleteClosedBefore(cutoff, batch);
			this.byAge.addAndGet(deleted);
			removed += deleted;
		}
		while (deleted == batch && pause());
		long excess = this.store.count() - this.settings.maxEvents();
		while (excess > 0 && pause()) {
			deleted = this.store.deleteOldest((int) Math.min(excess, batch));
			if (deleted == 0) {
				break;
			}
			this.byCount.addAndGet(deleted);
			removed += deleted;
			excess -= deleted;
		}
		if (removed > 0) {
			this.store.optimize();
			logger.debug("Retention removed " + removed + " close events");
		}
	}

	private void runSafely() {
		try {
			run();
		}
		catch (DataAccessException ex) {
			logger.warn("Retention could not run; it tries again in " + this.settings.interval() + ": "
					+ HistoryStoreFailures.describe(ex, this.store.store()));
		}
		catch (RuntimeException ex) {
			logger.error("Retention failed; it tries again in " + this.settings.interval(), ex);
		}
	}

	private boolean pause() {
		if (stopped()) {
			return false;
		}
		try {
			Thread.sleep(PAUSE_MILLIS);
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

}
