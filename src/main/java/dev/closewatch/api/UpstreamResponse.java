package dev.closewatch.api;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import dev.closewatch.closeevent.CloseEvent;
import dev.closewatch.upstream.RecentCloses;
import dev.closewatch.upstream.UpstreamState;
import dev.closewatch.upstream.UpstreamStatus;
import org.jspecify.annotations.Nullable;

/**
 * One upstream as the API shows it.
 *
 * @param name the configured name
 * @param url the URL with any user-info masked
 * @param state the current state
 * @param openSince when the current session opened, if open
 * @param disconnectedSince when the upstream was last seen closing, if not open
 * @param attempt the current attempt number since the last reset
 * @param nextAttemptAt when the next attempt is scheduled, if waiting
 * @param lastClose the most recent close event, if any
 * @param messagesReceived data messages received over all sessions
 * @param labels the labels of its definition
 * @param closesLastHour its closes in the last hour (whole minutes)
 * @param uncleanClosesLastHour of those, the ones with {@code wasClean=false}
 * @param flapping whether it closed at least 3 times in the last 10 minutes
 * @param owner with {@code closewatch.cluster}, the replica that watches it (holds its
 * shard's lease), {@code null} while none does; without it, always {@code null}
 */
record UpstreamResponse(String name, String url, UpstreamState state, @Nullable Instant openSince,
		@Nullable Instant disconnectedSince, int attempt, @Nullable Instant nextAttemptAt,
		@Nullable CloseEvent lastClose, long messagesReceived, Map<String, String> labels, int closesLastHour,
		int uncleanClosesLastHour, boolean flapping, @Nullable String owner) {

	static UpstreamResponse of(UpstreamStatus status) {
		return of(status, null);
	}

	static UpstreamResponse of(UpstreamStatus status, @Nullable String owner) {
		RecentCloses recent = status.recentCloses();
		return new UpstreamResponse(status.name(), status.url(), status.state(), status.openSince(),
				status.disconnectedSince(), status.attempt(), status.nextAttemptAt(), status.lastClose(),
				status.messagesReceived(), new TreeMap<>(status.labels()), recent.lastHour(), recent.uncleanLastHour(),
				recent.flapping(), owner);
	}

}
