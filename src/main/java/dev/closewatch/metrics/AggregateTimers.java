package dev.closewatch.metrics;

import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The four upstream timers as one histogram each across all upstreams: the default, so
 * that 10,000 upstreams cost Prometheus ~60 timer series rather than 120,000. Same names
 * and help as the per-upstream summaries ({@code closewatch_upstream_handshake_seconds}
 * and so on), without the {@code upstream} label, with buckets fitted to each timer and
 * Micrometer's {@code _max}.
 */
final class AggregateTimers {

	private final Timer[] timers = new Timer[UpstreamTally.TIMERS];

	AggregateTimers(MeterRegistry registry) {
		this.timers[UpstreamTally.HANDSHAKE] = timer(registry, UpstreamTally.HANDSHAKE, millis(5), millis(10),
				millis(25), millis(50), millis(100), millis(250), millis(500), seconds(1), millis(2500), seconds(5),
				seconds(10), seconds(20));
		this.timers[UpstreamTally.SESSION] = timer(registry, UpstreamTally.SESSION, seconds(1), seconds(10),
				seconds(30), minutes(1), minutes(5), minutes(15), minutes(60), minutes(360), minutes(1440));
		this.timers[UpstreamTally.DISCONNECTED] = timer(registry, UpstreamTally.DISCONNECTED, millis(100), millis(500),
				seconds(1), seconds(5), seconds(15), seconds(30), minutes(1), minutes(5), minutes(15), minutes(60));
		this.timers[UpstreamTally.PING] = timer(registry, UpstreamTally.PING, millis(1), millis(5), millis(10),
				millis(25), millis(50), millis(100), millis(250), millis(500), seconds(1), seconds(5));
	}

	void record(int timer, Duration duration) {
		this.timers[timer].record(duration);
	}

	private static Timer timer(MeterRegistry registry, int timer, Duration... buckets) {
		return Timer.builder(UpstreamTally.TIMER_METERS[timer])
			.description(UpstreamTally.TIMER_HELP[timer])
			.serviceLevelObjectives(buckets)
			.register(registry);
	}

	private static Duration millis(long millis) {
		return Duration.ofMillis(millis);
	}

	private static Duration seconds(long seconds) {
		return Duration.ofSeconds(seconds);
	}

	private static Duration minutes(long minutes) {
		return Duration.ofMinutes(minutes);
	}

}
