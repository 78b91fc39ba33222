package dev.closewatch.cluster;

import java.time.Duration;
import java.util.BitSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Hands ownership changes from the lease rounds to the connections on a thread of its
 * own: applying a change waits for close handshakes, which must hold up neither the next
 * round nor fencing. Changes that arrive while one is applied are coalesced into one more
 * run, which reads the ownership as it is then.
 */
final class OwnershipChanges implements Consumer<BitSet>, AutoCloseable {

	private static final Log logger = LogFactory.getLog(OwnershipChanges.class);

	private final ExecutorService executor = Executors
		.newSingleThreadExecutor(new CustomizableThreadFactory("closewatch-cluster-apply-"));

	private final AtomicBoolean pending = new AtomicBoolean();

	private volatile @Nullable Runnable target;

	/**
	 * Set what applies a change; changes before then are applied once it is set.
	 * @param target re-applies the scope to the connections
	 */
	void target(Runnable target) {
		this.target = target;
		accept(new BitSet());
	}

	@Override
	public void accept(BitSet owned) {
		if (this.pending.compareAndSet(false, true)) {
			this.executor.execute(() -> {
				this.pending.set(false);
				Runnable apply = this.target;
				if (apply == null) {
					return;
				}
				try {
					apply.run();
				}
				catch (RuntimeException ex) {
					logger.error("Could not apply the cluster's ownership to the connections", ex);
				}
			});
		}
	}

	/**
	 * Wait until the changes handed over so far have been applied.
	 * @param timeout how long at most
	 */
	void drain(Duration timeout) {
		try {
			this.executor.submit(() -> {
			}).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException | RejectedExecutionException ex) {
			logger.warn("Ownership changes still being applied after " + timeout + ": " + ex);
		}
	}

	@Override
	public void close() {
		this.executor.shutdownNow();
	}

}
