package dev.closewatch.closeevent;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * One ended connection attempt of an upstream, recorded exactly once. {@code code},
 * {@code reason}, {@code wasClean} and {@code errorEvent} are what a browser's
 * {@code CloseEvent} (and {@code error} event) would have reported; the other components
 * are the detail a browser hides. Published as an application event when recorded.
 *
 * @param id unique, increasing identifier
 * @param upstream the upstream's configured name
 * @param startedAt when the attempt began connecting
 * @param openedAt when the WebSocket opened, {@code null} if the handshake failed
 * @param closedAt when the attempt ended
 * @param duration how long the session was open, {@link Duration#ZERO} if it never opened
 * @param code browser-view close code
 * @param reason browser-view close reason, empty when absent
 * @param wasClean browser-view {@code wasClean}
 * @param errorEvent whether a browser would have fired {@code error} before {@code close}
 * @param initiator who ended the attempt
 * @param phase the phase the attempt was in when it ended
 * @param handshakeStatus HTTP status of a failed upgrade response, if there was one
 * @param error short classification such as {@code protocol-error} or
 * {@code connect-refused}
 * @param errorMessage human-readable detail of the error
 * @param attempt the attempt number since the last reset, starting at 1
 * @param messagesReceived data messages received during the session
 * @param wireCode the close code the server sent, when the browser view hides it
 * @param wireReason the close reason the server sent, when the browser view hides it
 */
public record CloseEvent(long id, String upstream, Instant startedAt, @Nullable Instant openedAt, Instant closedAt,
		Duration duration, int code, String reason, boolean wasClean, boolean errorEvent, Initiator initiator,
		Phase phase, @Nullable Integer handshakeStatus, @Nullable String error, @Nullable String errorMessage,
		int attempt, long messagesReceived, @Nullable Integer wireCode, @Nullable String wireReason) {

	public CloseEvent {
		Objects.requireNonNull(upstream, "upstream must not be null");
		Objects.requireNonNull(reason, "reason must not be null");
		if (code < 0 || code > 65535) {
			throw new IllegalArgumentException("code must be within 0-65535, was " + code);
		}
	}

}
