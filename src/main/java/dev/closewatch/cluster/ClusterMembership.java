package dev.closewatch.cluster;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;

import dev.closewatch.closeevent.ClientClose;
import dev.closewatch.upstream.UpstreamSources;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * Runs this replica's lease rounds every renew interval, checks four times as often
 * whether it must fence itself, and publishes its upstreams' states every
 * publish-interval. On shutdown it leaves the cluster first: it hands each shard to the
 * member that takes it over and closes the shard's connections (1001, {@code handoff})
 * once that member has opened them, rounds running four times as often meanwhile, for at
 * most a lease-ttl; what is left then (no other member is live, or none took over in
 * time) closes with the shutdown. It depends on the upstream sources, so Spring stops it
 * before the connections.
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

	private final Runnable publisher;

	private final Duration publishInterval;

	private final Duration leaseTtl;

	private @Nullable ScheduledFuture<?> rounds;

	private @Nullable ScheduledFuture<?> fencing;

	private @Nullable ScheduledFuture<?> publishing;

	private @Nullable ScheduledFuture<?> leaving;

	private volatile boolean running;

	ClusterMembership(ShardCoordinator coordinator, UpstreamSources sources, OwnershipChanges changes,
			ThreadPoolTaskScheduler scheduler, Clock clock, ClusterProperties properties, Timer renewals,
			Runnable publisher) {
		this.coordinator = coordinator;
		this.sources = sources;
		this.changes = changes;
		this.scheduler = scheduler;
		this.clock = clock;
		this.renewInterval = properties.renewInterval();
		this.leaseTtl = properties.leaseTtl();
		this.publishInterval = properties.publishInterval();
		this.renewals = renewals;
		this.publisher = publisher;
	}

	@Override
	public synchronized void start() {
		if (this.running) {
			return;
		}
		this.changes.target(() -> this.sources.rescope(this.coordinator.fenced() ? FENCED : HANDOFF));
		this.rounds = this.scheduler.scheduleWithFixedDelay(this::round, this.renewInterval);
		this.fencing = this.scheduler.scheduleAtFixedRate(this.coordinator::fenceIfExpired, quarterRound());
		this.publishing = this.scheduler.scheduleWithFixedDelay(this.publisher, this.publishInterval);
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
		this.coordinator.startLeaving();
		Instant deadline = this.clock.instant().plus(this.leaseTtl);
		this.leaving = this.scheduler.scheduleWithFixedDelay(() -> {
			this.coordinator.renew();
			if (this.coordinator.handedOver() || !this.clock.instant().isBefore(deadline)) {
				left(callback);
			}
		}, quarterRound());
	}

	private synchronized void left(Runnable callback) {
		if (this.leaving == null) {
			return;
		}
		this.leaving.cancel(false);
		this.leaving = null;
		if (this.fencing != null) {
			this.fencing.cancel(false);
		}
		if (this.publishing != null) {
			this.publishing.cancel(false);
		}
		this.coordinator.leave();
		// the handoffs' closes before the shutdown's
		this.changes.drain(this.leaseTtl);
		callback.run();
	}

	private Duration quarterRound() {
		Duration quarter = this.renewInterval.dividedBy(4);
		return (quarter.toMillis() < 100) ? Duration.ofMillis(100) : quarter;
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
