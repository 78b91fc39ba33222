package dev.closewatch.health;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.closewatch.closeevent.CloseEvent;
import dev.closewatch.upstream.UpstreamStatus;
import dev.closewatch.upstream.Upstreams;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Reports each upstream's state, since when it is open or disconnected, its attempt and
 * its last close in {@code details}, keyed by upstream name. The status is always
 * {@code UP}: an upstream that is down is what closewatch exists to observe, not a fault
 * of closewatch, so it must neither fail a probe nor turn the aggregate red. Kept out of
 * the {@code liveness} and {@code readiness} groups for the same reason.
 */
class UpstreamsHealthIndicator implements HealthIndicator {

	private final Upstreams upstreams;

	UpstreamsHealthIndicator(Upstreams upstreams) {
		this.upstreams = upstreams;
	}

	@Override
	public Health health() {
		Health.Builder health = Health.up();
		for (UpstreamStatus status : this.upstreams.statuses()) {
			health.withDetail(status.name(), details(status));
		}
		return health.build();
	}

	// absent values are left out rather than shown as null
	private static Map<String, Object> details(UpstreamStatus status) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("state", status.state());
		putIfPresent(details, "openSince", status.openSince());
		putIfPresent(details, "disconnectedSince", status.disconnectedSince());
		details.put("attempt", status.attempt());
		putIfPresent(details, "nextAttemptAt", status.nextAttemptAt());
		CloseEvent lastClose = status.lastClose();
		if (lastClose != null) {
			Map<String, Object> close = new LinkedHashMap<>();
			close.put("code", lastClose.code());
			close.put("reason", lastClose.reason());
			close.put("wasClean", lastClose.wasClean());
			close.put("closedAt", lastClose.closedAt());
			putIfPresent(close, "error", lastClose.error());
			details.put("lastClose", close);
		}
		return details;
	}

	private static void putIfPresent(Map<String, Object> map, String key, @Nullable Object value) {
		if (value != null) {
			map.put(key, value);
		}
	}

}
