package dev.closewatch.history;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * A lifecycle whose work runs on one daemon thread of its own, off the close path and off
 * the shared scheduler: retention, and SQLite's background checkpoint. Stopping
 * interrupts the thread.
 */
abstract class OwnThreadLifecycle implements SmartLifecycle {

	private final String threadName;

	private volatile boolean running;

	private volatile @Nullable ScheduledExecutorService executor;

	OwnThreadLifecycle(String threadName) {
		this.threadName = threadName;
	}

	@Override
	public void start() {
		CustomizableThreadFactory threads = new CustomizableThreadFactory(this.threadName);
		threads.setDaemon(true);
		ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(threads);
		this.executor = started;
		this.running = true;
		schedule(started);
	}

	/**
	 * Schedule the work, once started.
	 * @param executor the thread's executor
	 */
	protected abstract void schedule(ScheduledExecutorService executor);

	@Override
	public void stop() {
		this.running = false;
		ScheduledExecutorService started = this.executor;
		if (started != null) {
			started.shutdownNow();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Return whether this was started and has been stopped since (work called directly,
	 * without {@link #start()}, is never stopped).
	 */
	protected boolean stopped() {
		return !this.running && this.executor != null;
	}

}
