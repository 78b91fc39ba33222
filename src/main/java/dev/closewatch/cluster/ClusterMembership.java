package dev.closewatch.cluster;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;

import dev.closewatch.closeevent.ClientClose;
import dev.closewatch.upstream.UpstreamSources;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * Runs this replica's lease rounds every renew interval and checks four times as often
 * whether it must fence itself. On shutdown it leaves the cluster first and lets the
 * others take its shards (their next round, and a handshake) before the connections close
 * with 1001 Going Away: the next owner opens, then this one closes. It depends on the
 * upstream sources, so Spring stops it before the connections.
 */
final class ClusterMembership implements SmartLifecycle, DisposableBean {

	// another replica takes the upstream over (a member joined or left)
	static final ClientClose HANDOFF = new ClientClose(1001, "handoff", "handoff");

	// this replica could not renew its leases in time and stops before they expire
	static final ClientClose FENCED = new ClientClose(1001, "lease lost", "fenced");

	private final ShardCoordinator coordinator;

	private final UpstreamSources sources;

	private final OwnershipChanges changes;

	private final ThreadPoolTaskScheduler scheduler;

	private final Clock clock;

	private final Duration renewInterval;

	private final Timer renewals;

	private @Nullable ScheduledFuture<?> rounds;

	private @Nullable ScheduledFuture<?> fencing;

	private volatile boolean running;

	ClusterMembership(ShardCoordinator coordinator, UpstreamSources sources, OwnershipChanges changes,
			ThreadPoolTaskScheduler scheduler, Clock clock, Duration renewInterval, Timer renewals) {
		this.coordinator = coordinator;
		this.sources = sources;
		this.changes = changes;
		this.scheduler = scheduler;
		this.clock = clock;
		this.renewInterval = renewInterval;
		this.renewals = renewals;
	}

	@Override
	public synchronized void start() {
		if (this.running) {
			return;
		}
		this.changes.target(() -> this.sources.rescope(this.coordinator.fenced() ? FENCED : HANDOFF));
		this.rounds = this.scheduler.scheduleWithFixedDelay(this::round, this.renewInterval);
		Duration fenceCheck = this.renewInterval.dividedBy(4);
		this.fencing = this.scheduler.scheduleAtFixedRate(this.coordinator::fenceIfExpired,
				(fenceCheck.toMillis() < 100) ? Duration.ofMillis(100) : fenceCheck);
		this.running = true;
	}

	private void round() {
		long started = System.nanoTime();
		if (this.coordinator.renew()) {
			this.renewals.record(Duration.ofNanos(System.nanoTime() - started));
		}
	}

	@Override
	public void stop() {
		throw new UnsupportedOperationException("Stop must not be invoked directly");
	}

	@Override
	public synchronized void stop(Runnable callback) {
		if (!this.running) {
			callback.run();
			return;
		}
		this.running = false;
		if (this.rounds != null) {
			this.rounds.cancel(false);
		}
		if (this.fencing != null) {
			this.fencing.cancel(false);
		}
		this.coordinator.leave();
		// the others' next round, then their handshakes: then this replica's connections
		// close
		this.scheduler.schedule(callback, this.clock.instant().plus(this.renewInterval).plusSeconds(1));
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public void destroy() {
		this.scheduler.shutdown();
	}

}
