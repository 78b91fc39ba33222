package dev.closewatch.closeevent;

/**
 * Who ended a connection attempt.
 */
public enum Initiator {

	/** The server sent the first Close frame or rejected the opening handshake. */
	SERVER,

	/**
	 * closewatch closed or failed the connection (shutdown, timeout, protocol violation
	 * it detected).
	 */
	CLIENT,

	/** The network ended it: refused, reset or lost without any Close frame. */
	TRANSPORT

}
