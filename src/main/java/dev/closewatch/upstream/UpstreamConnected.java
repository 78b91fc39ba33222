package dev.closewatch.upstream;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * Published when an upstream's WebSocket opened.
 *
 * @param upstream the upstream's name
 * @param openedAt when the upgrade completed
 * @param attempt the attempt number that succeeded
 * @param handshakeDuration time from starting to connect to the completed upgrade
 * @param downtime time from the previous close to this open, {@code null} on the first
 * connect
 * @param certificateNotAfter when the server's leaf TLS certificate expires, for
 * {@code wss://}
 */
public record UpstreamConnected(String upstream, Instant openedAt, int attempt, Duration handshakeDuration,
		@Nullable Duration downtime, @Nullable Instant certificateNotAfter) {

	public UpstreamConnected(String upstream, Instant openedAt, int attempt, Duration handshakeDuration) {
		this(upstream, openedAt, attempt, handshakeDuration, null, null);
	}

	public UpstreamConnected(String upstream, Instant openedAt, int attempt, Duration handshakeDuration,
			@Nullable Duration downtime) {
		this(upstream, openedAt, attempt, handshakeDuration, downtime, null);
	}

}
