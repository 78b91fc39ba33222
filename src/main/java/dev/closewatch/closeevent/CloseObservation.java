package dev.closewatch.closeevent;

import org.jspecify.annotations.Nullable;

/**
 * What the transport saw of one ended connection attempt, before the browser-view rules
 * are applied.
 *
 * @param opened whether the WebSocket upgrade completed
 * @param serverClose the raw payload of the first Close frame received from the server,
 * exactly as it was on the wire (status code and reason bytes), or {@code null} if none
 * was received
 * @param clientClose the Close frame closewatch sent first, or {@code null} if it did not
 * start the closing handshake
 * @param failure the failure that ended the attempt, if any
 * @param handshakeStatus the HTTP status of a failed upgrade response, if there was one
 */
public record CloseObservation(boolean opened, byte @Nullable [] serverClose, @Nullable ClientClose clientClose,
		@Nullable Failure failure, @Nullable Integer handshakeStatus) {

}
