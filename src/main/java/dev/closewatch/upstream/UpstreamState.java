package dev.closewatch.upstream;

/**
 * The state of one upstream's connection loop. Only the connection itself changes it.
 */
public enum UpstreamState {

	/** Opening: TCP, TLS and the WebSocket upgrade are under way. */
	CONNECTING,

	/** The WebSocket is open. */
	OPEN,

	/** A Close frame has been sent or received and the connection is ending. */
	CLOSING,

	/** The last attempt ended and the next one is scheduled. */
	WAITING_TO_RECONNECT,

	/** The reconnect policy gave up; no further attempt is scheduled. */
	GAVE_UP,

	/** closewatch is not monitoring this upstream (not started yet, or shut down). */
	STOPPED

}
