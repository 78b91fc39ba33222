package dev.closewatch.history;

import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import javax.sql.DataSource;

import dev.closewatch.closeevent.CloseEvent;

/**
 * The real store, timed for {@link HistoryStoreBenchmark}: how long each event waited
 * from being queued to its commit returning (the writer's commit latency as a close sees
 * it), how long each insert transaction took, and how long each of retention's delete
 * transactions took. The SQL is the store's own; only clocks are added around it.
 */
final class TimedCloseEventStore extends JdbcCloseEventStore {

	// more than the writer's queue holds, so that no event's enqueue time is overwritten
	// before it is written
	private static final int RING = 1 << 21;

	private final long[] enqueuedAt = new long[RING];

	private volatile Samples latency = new Samples();

	private volatile Samples inserts = new Samples();

	private volatile Samples deletes = new Samples();

	private volatile long lastWrittenAt;

	TimedCloseEventStore(DataSource dataSource, HistoryStore store, SynchronousCommit synchronousCommit) {
		super(dataSource, store, synchronousCommit);
	}

	/**
	 * Note when an event was queued, just before it is.
	 * @param id the event's id
	 */
	void queued(long id) {
		this.enqueuedAt[(int) (id & (RING - 1))] = System.nanoTime();
	}

	/**
	 * Start new samples of latency, insert and delete times.
	 */
	void restart() {
		this.latency = new Samples();
		this.inserts = new Samples();
		this.deletes = new Samples();
	}

	Samples latency() {
		return this.latency;
	}

	Samples inserts() {
		return this.inserts;
	}

	Samples deletes() {
		return this.deletes;
	}

	long lastWrittenAt() {
		return this.lastWrittenAt;
	}

	@Override
	void insert(List<CloseEvent> events) throws SQLException {
		long start = System.nanoTime();
		super.insert(events);
		long end = System.nanoTime();
		this.inserts.add(end - start);
		Samples latency = this.latency;
		for (CloseEvent event : events) {
			latency.add(end - this.enqueuedAt[(int) (event.id() & (RING - 1))]);
		}
		this.lastWrittenAt = end;
	}

	@Override
	int deleteClosedBefore(Instant instant, int limit) {
		long start = System.nanoTime();
		int deleted = super.deleteClosedBefore(instant, limit);
		this.deletes.add(System.nanoTime() - start);
		return deleted;
	}

	@Override
	int deleteOldest(int limit) {
		long start = System.nanoTime();
		int deleted = super.deleteOldest(limit);
		this.deletes.add(System.nanoTime() - start);
		return deleted;
	}

	/**
	 * Durations in nanoseconds, added by one thread and read after it is done.
	 */
	static final class Samples {

		private long[] values = new long[1024];

		private int count;

		synchronized void add(long nanos) {
			if (this.count == this.values.length) {
				this.values = Arrays.copyOf(this.values, this.count * 2);
			}
			this.values[this.count++] = nanos;
		}

		synchronized int count() {
			return this.count;
		}

		/**
		 * Return the percentile in milliseconds, {@code NaN} when there are no samples.
		 * @param percent the percentile, 0 to 100 ({@code 100}: the maximum)
		 * @return the value in milliseconds
		 */
		synchronized double millis(double percent) {
			if (this.count == 0) {
				return Double.NaN;
			}
			long[] sorted = Arrays.copyOf(this.values, this.count);
			Arrays.sort(sorted);
			int index = (int) Math.min(this.count - 1, Math.max(0, Math.ceil(percent / 100 * this.count) - 1));
			return sorted[index] / 1e6;
		}

		synchronized double totalMillis() {
			long total = 0;
			for (int i = 0; i < this.count; i++) {
				total += this.values[i];
			}
			return total / 1e6;
		}

	}

}
