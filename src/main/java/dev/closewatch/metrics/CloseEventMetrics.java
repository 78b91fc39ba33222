package dev.closewatch.metrics;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.closewatch.closeevent.CloseEvent;
import dev.closewatch.closeevent.CloseEventListenerOrder;
import dev.closewatch.closeevent.Phase;
import dev.closewatch.upstream.PingMeasured;
import dev.closewatch.upstream.ReconnectScheduled;
import dev.closewatch.upstream.UpstreamConnected;
import dev.closewatch.upstream.UpstreamStatus;
import dev.closewatch.upstream.UpstreamsChanged;
import dev.closewatch.upstream.Upstreams;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;

/**
 * Keeps the closewatch metrics up to date from upstream events. The per-upstream series
 * (closes, attempts, state, reconnect loop) live in one {@link UpstreamTally} per
 * configured upstream and are exported by {@link UpstreamMetricsCollector} (the history's
 * own meters are bound by the history). The timers are {@link AggregateTimers} across all
 * upstreams unless {@code closewatch.metrics.per-upstream-timers} puts them in the
 * tallies. Tags are bounded: the configured upstream name, the close code class and
 * outcome words, never reason, URL or exception text.
 */
class CloseEventMetrics {

	private final Upstreams upstreams;

	private final Clock clock;

	// null when the timers are per upstream
	private final @Nullable AggregateTimers aggregateTimers;

	// one per monitored upstream: made with the upstream, dropped when it is removed
	private final Map<String, UpstreamTally> tallies = new ConcurrentHashMap<>();

	CloseEventMetrics(Upstreams upstreams, Clock clock, MeterRegistry registry, boolean perUpstreamTimers) {
		this.upstreams = upstreams;
		this.clock = clock;
		this.aggregateTimers = perUpstreamTimers ? null : new AggregateTimers(registry);
		upstreams.statuses().forEach(this::tally);
	}

	/**
	 * Return the collector that exports the per-upstream series.
	 * @return a new collector over this instance's tallies
	 */
	UpstreamMetricsCollector collector() {
		return new UpstreamMetricsCollector(this.upstreams, this::tally, this.clock, this.aggregateTimers == null);
	}

	/**
	 * Return the tally of a monitored upstream, made on first use.
	 * @param status the upstream's status
	 * @return its tally
	 */
	UpstreamTally tally(UpstreamStatus status) {
		UpstreamTally tally = this.tallies.get(status.name());
		if (tally != null) {
			return tally;
		}
		return this.tallies.computeIfAbsent(status.name(), (name) -> new UpstreamTally(name,
				status.url().startsWith("wss:"), this.aggregateTimers == null, this.clock.millis()));
	}

	/**
	 * Drop the series of removed upstreams, and start those of reconnected ones over
	 * where their scheme changed (the certificate expiry series comes and goes with
	 * {@code wss:}).
	 * @param changed what changed
	 */
	@EventListener
	void onUpstreamsChanged(UpstreamsChanged changed) {
		changed.diff().removed().forEach(this.tallies::remove);
		for (String name : changed.diff().changed()) {
			UpstreamTally tally = this.tallies.get(name);
			this.upstreams.status(name).ifPresent((status) -> {
				if (tally != null && tally.secure() != status.url().startsWith("wss:")) {
					this.tallies.remove(name);
				}
			});
		}
	}

	@EventListener
	@Order(CloseEventListenerOrder.RECORD)
	void onClose(CloseEvent event) {
		UpstreamTally tally = tally(event.upstream());
		if (tally == null) {
			return;
		}
		tally.closed(CloseLabels.of(event.code(), event.wasClean()));
		if (event.phase() == Phase.HANDSHAKE) {
			tally.failed();
		}
		if (event.openedAt() != null) {
			time(tally, UpstreamTally.SESSION, event.duration(), this.clock.millis());
		}
	}

	@EventListener
	void onConnected(UpstreamConnected event) {
		UpstreamTally tally = tally(event.upstream());
		if (tally == null) {
			return;
		}
		long now = this.clock.millis();
		tally.connected(event.certificateNotAfter());
		time(tally, UpstreamTally.HANDSHAKE, event.handshakeDuration(), now);
		if (event.downtime() != null) {
			time(tally, UpstreamTally.DISCONNECTED, event.downtime(), now);
		}
	}

	@EventListener
	void onReconnectScheduled(ReconnectScheduled event) {
		UpstreamTally tally = tally(event.upstream());
		if (tally != null) {
			tally.reconnectScheduled(event.delay());
		}
	}

	@EventListener
	void onPing(PingMeasured event) {
		UpstreamTally tally = tally(event.upstream());
		if (tally != null) {
			time(tally, UpstreamTally.PING, event.roundTrip(), this.clock.millis());
		}
	}

	private void time(UpstreamTally tally, int timer, Duration duration, long nowMillis) {
		if (this.aggregateTimers != null) {
			this.aggregateTimers.record(timer, duration);
		}
		else {
			tally.time(timer, duration, nowMillis);
		}
	}

	// events of an upstream that is being removed still count until it is gone
	private @Nullable UpstreamTally tally(String upstream) {
		UpstreamTally tally = this.tallies.get(upstream);
		if (tally != null) {
			return tally;
		}
		return this.upstreams.status(upstream).map(this::tally).orElse(null);
	}

}
