package dev.closewatch.closeevent;

/**
 * The phase a connection attempt was in when it ended.
 */
public enum Phase {

	/** Before the server accepted the WebSocket upgrade: TCP, TLS or HTTP upgrade. */
	HANDSHAKE,

	/** The connection was open and no Close frame had been exchanged. */
	OPEN,

	/** A Close frame had been sent or received (RFC 6455 §7.1.3). */
	CLOSING

}
