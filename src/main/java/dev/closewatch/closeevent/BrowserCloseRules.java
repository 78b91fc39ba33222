package dev.closewatch.closeevent;

import org.jspecify.annotations.Nullable;

/**
 * Turns what the transport observed into what Chromium's {@code CloseEvent} would have
 * reported, following RFC 6455 §7.1.4–7.1.7, the WHATWG "feedback from the protocol"
 * steps and Chromium's measured behaviour (see {@code close-semantics.md} §3):
 * <ul>
 * <li>handshake, TLS and network failures: {@code error} + (1006, "", false);</li>
 * <li>protocol violations, including an invalid Close frame: {@code error} + (1006, "",
 * false);</li>
 * <li>a valid Close frame (any code but 1005/1006/1015; empty body = 1005): (code,
 * reason, true), or not clean when the connection was then reset;</li>
 * <li>no Close frame and the TCP connection lost: (1006, "", false) without
 * {@code error};</li>
 * <li>closewatch closed and the server never answered in time: (1006, "", false);
 * closewatch closed without waiting for the answer: (the code it sent, its reason,
 * false).</li>
 * </ul>
 */
public final class BrowserCloseRules {

	private static final int ABNORMAL_CLOSURE = CloseCode.ABNORMAL_CLOSURE.code();

	private BrowserCloseRules() {
	}

	/**
	 * Apply the rules.
	 * @param observation what the transport saw
	 * @return the browser view and detail
	 */
	public static CloseVerdict verdict(CloseObservation observation) {
		Failure failure = observation.failure();
		if (!observation.opened()) {
			return handshakeFailed(observation, failure);
		}
		ClientClose clientClose = observation.clientClose();
		Initiator closer = (clientClose != null) ? Initiator.CLIENT : Initiator.SERVER;
		byte[] serverClose = observation.serverClose();
		if (serverClose != null) {
			return closeFrameReceived(WireClose.parse(serverClose), closer, clientClose, failure);
		}
		if (clientClose != null) {
			if (failure != null) {
				return abnormal(false, Initiator.CLIENT, Phase.CLOSING, failure.error(), failure.message());
			}
			// closewatch closed TCP right after its Close frame without waiting for the
			// answer
			return new CloseVerdict(clientClose.code(), clientClose.reason(), false, false, Initiator.CLIENT,
					Phase.CLOSING, clientClose.cause(),
					"closewatch closed the connection after sending its Close frame", null, null);
		}
		if (failure == null) {
			return abnormal(false, Initiator.TRANSPORT, Phase.OPEN, "connection-lost",
					"Connection closed without a Close frame");
		}
		return switch (failure.kind()) {
			case PROTOCOL -> abnormal(true, Initiator.CLIENT, Phase.OPEN, failure.error(), failure.message());
			case ABORTED -> abnormal(false, Initiator.CLIENT, Phase.OPEN, failure.error(), failure.message());
			case TRANSPORT, HANDSHAKE ->
				abnormal(false, Initiator.TRANSPORT, Phase.OPEN, failure.error(), failure.message());
		};
	}

	/**
	 * Whether a browser accepts a Close frame with this payload, and so completes the
	 * closing handshake and waits for the server to close the TCP connection, rather than
	 * failing the connection at once.
	 * @param payload the raw payload of the Close frame
	 * @return whether the frame is accepted
	 */
	public static boolean acceptsClose(byte[] payload) {
		return WireClose.parse(payload).valid();
	}

	private static CloseVerdict handshakeFailed(CloseObservation observation, @Nullable Failure failure) {
		Initiator initiator;
		if (observation.handshakeStatus() != null) {
			initiator = Initiator.SERVER;
		}
		else if (observation.clientClose() != null || (failure != null && failure.kind() == FailureKind.ABORTED)) {
			initiator = Initiator.CLIENT;
		}
		else {
			initiator = Initiator.TRANSPORT;
		}
		String error = (failure != null) ? failure.error() : "handshake-failed";
		String message = (failure != null) ? failure.message() : "The opening handshake did not complete";
		return abnormal(true, initiator, Phase.HANDSHAKE, error, message);
	}

	private static CloseVerdict closeFrameReceived(WireClose wire, Initiator closer, @Nullable ClientClose clientClose,
			@Nullable Failure failure) {
		if (!wire.valid()) {
			return new CloseVerdict(ABNORMAL_CLOSURE, "", false, true, closer, Phase.CLOSING, "protocol-error",
					wire.violation(), wire.code(), (wire.code() != null) ? wire.reason() : null);
		}
		int code = (wire.code() != null) ? wire.code() : CloseCode.NO_STATUS_RECEIVED.code();
		// Chromium: a Close frame then FIN is clean, a Close frame then RST is not
		boolean reset = failure != null && failure.kind() == FailureKind.TRANSPORT;
		String error = reset ? failure.error() : (clientClose != null) ? clientClose.cause() : null;
		String message = reset ? failure.message() : null;
		return new CloseVerdict(code, wire.reason(), !reset, false, closer, Phase.CLOSING, error, message, null, null);
	}

	private static CloseVerdict abnormal(boolean errorEvent, Initiator initiator, Phase phase, String error,
			String message) {
		return new CloseVerdict(ABNORMAL_CLOSURE, "", false, errorEvent, initiator, phase, error, message, null, null);
	}

}
