package dev.closewatch.metrics;

import java.time.Clock;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

import dev.closewatch.closeevent.CloseEvent;
import dev.closewatch.closeevent.CloseEventListenerOrder;
import dev.closewatch.closeevent.Phase;
import dev.closewatch.upstream.PingMeasured;
import dev.closewatch.upstream.ReconnectScheduled;
import dev.closewatch.upstream.UpstreamConnected;
import dev.closewatch.upstream.Upstreams;
import org.jspecify.annotations.Nullable;

import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;

/**
 * Keeps the closewatch metrics up to date from upstream events. The per-upstream series
 * (closes, attempts, state, timers, reconnect loop) live in one {@link UpstreamTally} per
 * configured upstream and are exported by {@link UpstreamMetricsCollector} (the history's
 * own meters are bound by the history). Tags are bounded: the configured upstream name,
 * the close code class and outcome words, never reason, URL or exception text.
 */
class CloseEventMetrics {

	private final Upstreams upstreams;

	private final Clock clock;

	private final Map<String, UpstreamTally> tallies;

	CloseEventMetrics(Upstreams upstreams, Clock clock) {
		this.upstreams = upstreams;
		this.clock = clock;
		Map<String, UpstreamTally> tallies = new HashMap<>();
		long now = clock.millis();
		for (String name : upstreams.names()) {
			boolean secure = upstreams.status(name).filter((status) -> status.url().startsWith("wss:")).isPresent();
			tallies.put(name, new UpstreamTally(name, secure, now));
		}
		this.tallies = Collections.unmodifiableMap(tallies);
	}

	/**
	 * Return the collector that exports the per-upstream series.
	 * @return a new collector over this instance's tallies
	 */
	UpstreamMetricsCollector collector() {
		return new UpstreamMetricsCollector(this.upstreams, this.tallies, this.clock);
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
			tally.time(UpstreamTally.SESSION, event.duration(), this.clock.millis());
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
		tally.time(UpstreamTally.HANDSHAKE, event.handshakeDuration(), now);
		if (event.downtime() != null) {
			tally.time(UpstreamTally.DISCONNECTED, event.downtime(), now);
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
			tally.time(UpstreamTally.PING, event.roundTrip(), this.clock.millis());
		}
	}

	private @Nullable UpstreamTally tally(String upstream) {
		return this.tallies.get(upstream);
	}

}
