package dev.closewatch.upstream;

import org.eclipse.jetty.websocket.core.exception.WebSocketException;

/**
 * A 101 response that a browser would not accept as a WebSocket upgrade.
 */
class HandshakeRejectedException extends WebSocketException {

	private final String error;

	HandshakeRejectedException(String error, String message) {
		super(message);
		this.error = error;
	}

	String error() {
		return this.error;
	}

}
