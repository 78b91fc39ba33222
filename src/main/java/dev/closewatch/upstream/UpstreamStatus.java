package dev.closewatch.upstream;

import java.time.Instant;
import java.util.Map;

import dev.closewatch.closeevent.CloseEvent;
import org.jspecify.annotations.Nullable;

/**
 * A consistent snapshot of one upstream's connection loop.
 *
 * @param name the configured name
 * @param url the URL with any user-info masked
 * @param state the current state
 * @param openSince when the current session opened, if open
 * @param disconnectedSince when the upstream was last seen closing, if not open
 * @param attempt the current attempt number since the last reset (0 before the first)
 * @param nextAttemptAt when the next attempt is scheduled, if waiting
 * @param lastClose the most recent close event, if any
 * @param messagesReceived data messages received over all sessions
 * @param labels the labels given in its definition, such as {@code team: payments}
 * @param recentCloses how often it closed lately
 */
public record UpstreamStatus(String name, String url, UpstreamState state, @Nullable Instant openSince,
		@Nullable Instant disconnectedSince, int attempt, @Nullable Instant nextAttemptAt,
		@Nullable CloseEvent lastClose, long messagesReceived, Map<String, String> labels, RecentCloses recentCloses) {

	public UpstreamStatus {
		labels = Map.copyOf(labels);
	}

	/**
	 * The status of a defined upstream that nothing connects now (with
	 * {@code closewatch.cluster}: one whose shard no live replica has opened yet).
	 * @param name the name
	 * @param definition its definition
	 * @return a {@link UpstreamState#STOPPED} status with its masked URL and labels
	 */
	public static UpstreamStatus unwatched(String name, UpstreamProperties.Upstream definition) {
		String url = (definition.url() != null) ? UrlMasking.mask(definition.url()) : "";
		return new UpstreamStatus(name, url, UpstreamState.STOPPED, null, null, 0, null, null, 0, definition.labels());
	}

	/**
	 * A status without recent closes.
	 */
	public UpstreamStatus(String name, String url, UpstreamState state, @Nullable Instant openSince,
			@Nullable Instant disconnectedSince, int attempt, @Nullable Instant nextAttemptAt,
			@Nullable CloseEvent lastClose, long messagesReceived, Map<String, String> labels) {
		this(name, url, state, openSince, disconnectedSince, attempt, nextAttemptAt, lastClose, messagesReceived,
				labels, RecentCloses.NONE);
	}

	/**
	 * A status without labels.
	 */
	public UpstreamStatus(String name, String url, UpstreamState state, @Nullable Instant openSince,
			@Nullable Instant disconnectedSince, int attempt, @Nullable Instant nextAttemptAt,
			@Nullable CloseEvent lastClose, long messagesReceived) {
		this(name, url, state, openSince, disconnectedSince, attempt, nextAttemptAt, lastClose, messagesReceived,
				Map.of());
	}

}
