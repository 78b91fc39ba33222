package dev.closewatch.history;

import java.time.Duration;

/**
 * How many events retention deletes in its next transaction, and how long it stands back
 * after one. While a delete runs, SQLite holds every commit of the writer (and with it
 * every close still to show in the list); how long that is depends on the disk, the size
 * of the file and how scattered the deleted rows are over the upstream indexes, so a
 * fixed number of rows cannot bound it. The pace sizes each transaction from how long the
 * last one took, to hold the write lock about {@link #TARGET} (at most
 * {@code retention.batch-size} rows, at least {@link #FLOOR}), and stands back at least
 * {@link #STAND_BACK_FACTOR} times as long as the last one took, so that retention holds
 * the lock a quarter of the time at most. It grows a transaction by half at most at a
 * time, so that one quick delete (rows that happened to share pages) does not make the
 * next one slow.
 * <p>
 * PostgreSQL's deletes block no insert, and take as long for 10 rows as for 200 (the
 * statement's own cost, ~2-5 ms): paced like SQLite's they shrank to the floor and
 * retention fell behind a close rate of 1,000 a second. There every transaction deletes
 * {@code retention.batch-size} rows and the pause is {@link #MIN_PAUSE}.
 * <p>
 * Used by one thread at a time.
 */
final class RetentionPace {

	/**
	 * How long a delete transaction is meant to hold the write lock.
	 */
	static final Duration TARGET = Duration.ofMillis(3);

	/**
	 * The fewest rows a transaction deletes, however slow: retention must keep up with
	 * the events it removes.
	 */
	static final int FLOOR = 10;

	/**
	 * The shortest pause between two transactions.
	 */
	static final Duration MIN_PAUSE = Duration.ofMillis(20);

	/**
	 * The pause after a transaction, at least, as a multiple of how long it took.
	 */
	static final int STAND_BACK_FACTOR = 3;

	/**
	 * The most a transaction grows over the last one.
	 */
	static final double GROWTH = 1.5;

	private final boolean adapts;

	private final int ceiling;

	private final int floor;

	private int size;

	private long pauseNanos = MIN_PAUSE.toNanos();

	private RetentionPace(boolean adapts, int batchSize) {
		this.adapts = adapts;
		this.ceiling = batchSize;
		this.floor = Math.min(FLOOR, batchSize);
		this.size = batchSize;
	}

	/**
	 * Create the pace for a store's deletes, starting at, and never exceeding, the
	 * configured batch size.
	 * @param store the store
	 * @param batchSize {@code retention.batch-size}
	 * @return a pace that adapts to SQLite's deletes, or a steady one for PostgreSQL's
	 */
	static RetentionPace of(HistoryStore store, int batchSize) {
		return new RetentionPace(store == HistoryStore.SQLITE, batchSize);
	}

	/**
	 * Return how many events the next transaction should delete.
	 */
	int size() {
		return this.size;
	}

	/**
	 * Return how long to stand back before the next transaction.
	 */
	Duration pause() {
		return Duration.ofNanos(this.pauseNanos);
	}

	/**
	 * Take in how long a transaction that was to delete {@link #size()} events took.
	 * @param elapsed how long it took, from before it was sent to its commit
	 */
	void took(Duration elapsed) {
		if (!this.adapts) {
			return;
		}
		long nanos = Math.max(elapsed.toNanos(), 1);
		double fitting = (double) this.size * TARGET.toNanos() / nanos;
		long next = (long) Math.min(fitting, GROWTH * this.size);
		this.size = (int) Math.max(this.floor, Math.min(this.ceiling, next));
		this.pauseNanos = Math.max(MIN_PAUSE.toNanos(), STAND_BACK_FACTOR * nanos);
	}

}
