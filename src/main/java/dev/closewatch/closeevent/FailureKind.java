package dev.closewatch.closeevent;

/**
 * How a connection attempt failed, in the terms the browser-view rules need.
 */
public enum FailureKind {

	/**
	 * The opening handshake failed: network, TLS, non-101 status or an invalid upgrade
	 * response. A browser fails the connection and fires {@code error}.
	 */
	HANDSHAKE,

	/**
	 * The server violated the protocol after the upgrade. A browser fails the connection
	 * and fires {@code error}.
	 */
	PROTOCOL,

	/**
	 * The TCP connection was lost (EOF or reset). A browser drops the connection without
	 * an {@code error} event.
	 */
	TRANSPORT,

	/**
	 * closewatch itself aborted the connection, for example on a timeout.
	 */
	ABORTED

}
