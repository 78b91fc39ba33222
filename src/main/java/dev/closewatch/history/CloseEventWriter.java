package dev.closewatch.history;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import dev.closewatch.closeevent.CloseEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;

/**
 * Persists close events off the hot path: recording only queues the event, and one thread
 * writes what is queued in batches of at most {@code batchSize}, one transaction each.
 * The thread writes as soon as an event waits, taking whatever queued up during the
 * previous commit (group commit), so an event is stored within about one commit's time of
 * being recorded, and never waits for a batch to fill.
 * <p>
 * A failed write is retried with back-off (100 ms doubling to 5 s) until it succeeds;
 * events queue meanwhile and are written when the store returns, in order. Only when the
 * queue stays full for {@code backPressure} is an event dropped, counted and logged.
 * Stopping writes what is queued, within {@code shutdownTimeout}.
 */
class CloseEventWriter implements SmartLifecycle {

	/**
	 * Stops after the upstreams, so that their shutdown closes are written.
	 */
	static final int PHASE = Integer.MIN_VALUE + 1000;

	private static final Log logger = LogFactory.getLog(CloseEventWriter.class);

	private static final Duration MIN_RETRY = Duration.ofMillis(100);

	private static final Duration MAX_RETRY = Duration.ofSeconds(5);

	private static final Duration HEARTBEAT = Duration.ofSeconds(15);

	private final JdbcCloseEventStore store;

	private final HistoryProperties.Writer settings;

	private final MonitorRun run;

	private final Clock clock;

	private final BlockingQueue<CloseEvent> queue;

	// never queued: the queue stayed full
	private final AtomicLong rejected = new AtomicLong();

	// queued, but not written before shutdown
	private final AtomicLong lost = new AtomicLong();

	private final AtomicLong written = new AtomicLong();

	private final AtomicLong queuedTotal = new AtomicLong();

	private volatile StoreState state;

	private volatile boolean running;

	private volatile long stopDeadline = Long.MAX_VALUE;

	private volatile long lastDropLog;

	private final Consumer<List<CloseEvent>> committed;

	private final Thread thread;

	CloseEventWriter(JdbcCloseEventStore store, HistoryProperties.Writer settings, MonitorRun run, Clock clock) {
		this(store, settings, run, clock, (batch) -> {
		});
	}

	/**
	 * Create a writer.
	 * @param store the store
	 * @param settings the writer's settings
	 * @param run this process's run
	 * @param clock the clock
	 * @param committed told of each batch once its transaction has committed, on the
	 * writer's thread
	 */
	CloseEventWriter(JdbcCloseEventStore store, HistoryProperties.Writer settings, MonitorRun run, Clock clock,
			Consumer<List<CloseEvent>> committed) {
		this.store = store;
		this.committed = committed;
		this.settings = settings;
		this.run = run;
		this.clock = clock;
		this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
		this.state = StoreState.up(clock.instant());
		this.thread = new Thread(this::writeLoop, "closewatch-history-writer");
		this.thread.setDaemon(true);
	}

	/**
	 * Queue an event to be written. Waits up to {@code backPressure} when the queue is
	 * full, then drops the event and counts it.
	 * @param event the event
	 * @return whether the event was queued, {@code false} if it was dropped
	 */
	boolean enqueue(CloseEvent event) {
		if (this.queue.offer(event)) {
			this.queuedTotal.incrementAndGet();
			return true;
		}
		try {
			if (this.queue.offer(event, this.settings.backPressure().toNanos(), TimeUnit.NANOSECONDS)) {
				this.queuedTotal.incrementAndGet();
				return true;
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		long dropped = this.rejected.incrementAndGet() + this.lost.get();
		long now = this.clock.millis();
		if (now - this.lastDropLog >= 10_000) {
			this.lastDropLog = now;
			logger.error("The history store's write queue is full (" + this.settings.queueCapacity()
					+ " events, closewatch.history.writer.queue-capacity): close event " + event.id() + " of upstream "
					+ event.upstream() + " was not stored; " + dropped + " dropped since start. The store: "
					+ describe(this.state));
		}
		return false;
	}

	@Override
	public void start() {
		this.running = true;
		this.thread.start();
	}

	@Override
	public void stop() {
		this.stopDeadline = System.nanoTime() + this.settings.shutdownTimeout().toNanos();
		this.running = false;
		try {
			this.thread.join(this.settings.shutdownTimeout().plusSeconds(5).toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (this.thread.isAlive()) {
			logger.error("The history writer is still in a database call " + this.settings.shutdownTimeout()
					+ " after shutdown began (" + describe(this.state) + ")");
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	long dropped() {
		return this.rejected.get() + this.lost.get();
	}

	long written() {
		return this.written.get();
	}

	int queued() {
		return this.queue.size();
	}

	/**
	 * Return how many queued events are neither written nor dropped yet, including those
	 * being written: an event counts as written once the committed listener has been told
	 * of its batch.
	 */
	long pending() {
		return this.queuedTotal.get() - this.written.get() - this.lost.get();
	}

	StoreState state() {
		return this.state;
	}

	/**
	 * Return this process's run, whose heartbeat the writer keeps.
	 */
	MonitorRun run() {
		return this.run;
	}

	private void writeLoop() {
		List<CloseEvent> batch = new ArrayList<>(this.settings.batchSize());
		long nextHeartbeat = 0;
		while (this.running || !this.queue.isEmpty()) {
			if (!this.running && System.nanoTime() - this.stopDeadline >= 0) {
				break;
			}
			try {
				CloseEvent first = this.queue.poll(200, TimeUnit.MILLISECONDS);
				if (first != null) {
					batch.add(first);
					linger();
					this.queue.drainTo(batch, this.settings.batchSize() - 1);
					if (!write(batch)) {
						break;
					}
					batch.clear();
				}
				long now = System.nanoTime();
				if (now - nextHeartbeat >= 0 && this.running) {
					heartbeat();
					nextHeartbeat = now + HEARTBEAT.toNanos();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		// what is left when shutdown's time is up: counted and logged here, once
		int lost = batch.size() + this.queue.size();
		this.queue.clear();
		if (lost > 0) {
			this.lost.addAndGet(lost);
			logger.error(lost + " close events could not be written to the history store within "
					+ "closewatch.history.writer.shutdown-timeout (" + this.settings.shutdownTimeout() + "; "
					+ describe(this.state) + ")");
		}
		stopRun();
	}

	/**
	 * Wait {@code linger} for more events to join the batch, unless a full batch is
	 * already queued or the writer is stopping. The thread sleeps rather than waits on
	 * the queue, so the events that arrive meanwhile do not wake it one by one.
	 */
	private void linger() {
		long linger = this.settings.linger().toNanos();
		if (linger == 0 || !this.running || this.queue.size() >= this.settings.batchSize() - 1) {
			return;
		}
		long deadline = System.nanoTime() + linger;
		for (long left = linger; left > 0
				&& !Thread.currentThread().isInterrupted(); left = deadline - System.nanoTime()) {
			LockSupport.parkNanos(left);
		}
	}

	/**
	 * Write the batch, retrying until it is written or the stop deadline passes.
	 * @return whether it was written
	 */
	private boolean write(List<CloseEvent> batch) throws InterruptedException {
		Duration retry = MIN_RETRY;
		while (true) {
			try {
				this.store.insert(batch);
				// told first, counted after: pending() reaches 0 only once the listener
				// has seen every batch
				this.committed.accept(batch);
				this.written.addAndGet(batch.size());
				if (!this.state.up()) {
					logger.info("The history store is back: " + this.queue.size() + " queued close events follow");
				}
				this.state = this.state.succeeded(this.clock.instant());
				return true;
			}
			catch (SQLException | DataAccessException ex) {
				failed(ex, batch.size());
			}
			long untilDeadline = this.stopDeadline - System.nanoTime();
			if (untilDeadline <= 0) {
				return false;
			}
			Thread.sleep(Math.min(retry.toMillis(), TimeUnit.NANOSECONDS.toMillis(untilDeadline) + 1));
			retry = (retry.compareTo(MAX_RETRY.dividedBy(2)) < 0) ? retry.multipliedBy(2) : MAX_RETRY;
		}
	}

	private void failed(Exception ex, int batchSize) {
		String error = HistoryStoreFailures.describe(ex, this.store.store());
		if (this.state.up()) {
			logger.error("Cannot write to the history store, retrying with back-off while close events queue ("
					+ batchSize + " in this batch, " + this.queue.size() + " queued): " + error);
		}
		this.state = this.state.failed(this.clock.instant(), error);
	}

	private void heartbeat() {
		try {
			this.store.runSeen(this.run.id(), this.clock.instant());
		}
		catch (DataAccessException ex) {
			// the next write reports the store's state
		}
	}

	private void stopRun() {
		try {
			this.store.stopRun(this.run.id(), this.clock.instant());
		}
		catch (DataAccessException ex) {
			logger.warn("Could not record the end of this run in the history store: " + ex.getMessage());
		}
	}

	private static String describe(StoreState state) {
		return state.up() ? "up" : "down since " + state.since() + ": " + state.error();
	}

}
