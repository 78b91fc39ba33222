package dev.closewatch.upstream;

import java.time.Duration;
import java.util.List;

/**
 * How often the supervisor's one liveness sweep runs: a tenth of the shortest ping
 * interval, pong timeout or stale limit, between 50 ms and 1 s. One sweep over all
 * upstreams replaces a timer per connection.
 */
final class LivenessSweep {

	private static final Duration FASTEST = Duration.ofMillis(50);

	private static final Duration SLOWEST = Duration.ofSeconds(1);

	private LivenessSweep() {
	}

	static Duration tick(List<UpstreamConnection> connections) {
		Duration shortest = SLOWEST.multipliedBy(10);
		for (UpstreamConnection connection : connections) {
			ConnectionSettings.Liveness liveness = connection.liveness();
			if (liveness.pings()) {
				shortest = min(shortest, min(liveness.pingInterval(), liveness.pongTimeout()));
			}
			if (liveness.checksStaleness()) {
				shortest = min(shortest, liveness.staleAfter());
			}
		}
		Duration tick = shortest.dividedBy(10);
		return (tick.compareTo(FASTEST) < 0) ? FASTEST : min(tick, SLOWEST);
	}

	private static Duration min(Duration a, Duration b) {
		return (a.compareTo(b) <= 0) ? a : b;
	}

}
