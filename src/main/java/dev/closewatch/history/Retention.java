package dev.closewatch.history;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntUnaryOperator;
import java.util.function.LongSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DataAccessException;

/**
 * Removes the events a durable store no longer keeps: older than {@code max-age}, or
 * beyond the newest {@code max-events}. It runs every {@code interval} on a thread of its
 * own, off the close path and off the shared scheduler, and deletes in transactions of at
 * most {@code batch-size} events, each sized and followed by a pause
 * ({@link RetentionPace}) so that the writer (which SQLite lets write one at a time)
 * never waits long. Nothing else removes events: an upstream that is no longer configured
 * keeps its history until retention takes it.
 */
class Retention extends OwnThreadLifecycle {

	private static final Log logger = LogFactory.getLog(Retention.class);

	private final JdbcCloseEventStore store;

	private final HistoryProperties.Retention settings;

	private final Clock clock;

	private final LongSupplier nanoTime;

	private final AtomicLong byAge = new AtomicLong();

	private final AtomicLong byCount = new AtomicLong();

	Retention(JdbcCloseEventStore store, HistoryProperties.Retention settings, Clock clock) {
		this(store, settings, clock, System::nanoTime);
	}

	Retention(JdbcCloseEventStore store, HistoryProperties.Retention settings, Clock clock, LongSupplier nanoTime) {
		super("closewatch-history-retention");
		this.store = store;
		this.settings = settings;
		this.clock = clock;
		this.nanoTime = nanoTime;
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
		RetentionPace pace = RetentionPace.of(this.store.store(), this.settings.batchSize());
		long removed = 0;
		int size;
		int deleted;
		do {
			size = pace.size();
			deleted = delete(pace, (limit) -> this.store.deleteClosedBefore(cutoff, limit));
			this.byAge.addAndGet(deleted);
			removed += deleted;
		}
		while (deleted == size && pause(pace));
		long excess = this.store.count() - this.settings.maxEvents();
		while (excess > 0 && pause(pace)) {
			long remaining = excess;
			deleted = delete(pace, (limit) -> this.store.deleteOldest((int) Math.min(remaining, limit)));
			if (deleted == 0) {
				break;
			}
			this.byCount.addAndGet(deleted);
			removed += deleted;
			excess -= deleted;
		}
		if (removed > 0) {
			this.store.forgetMinutesBeforeOldest();
			this.store.optimize();
			logger.debug("Retention removed " + removed + " close events");
		}
	}

	private int delete(RetentionPace pace, IntUnaryOperator transaction) {
		long start = this.nanoTime.getAsLong();
		int deleted = transaction.applyAsInt(pace.size());
		pace.took(Duration.ofNanos(this.nanoTime.getAsLong() - start));
		return deleted;
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

	private boolean pause(RetentionPace pace) {
		if (stopped()) {
			return false;
		}
		try {
			Thread.sleep(pace.pause().toMillis());
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

}
