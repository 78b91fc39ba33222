package dev.closewatch.closeevent;

import java.util.Optional;

/**
 * The close codes registered with IANA (RFC 6455 §7.4.1 and later registrations). A
 * {@link CloseEvent} keeps the raw code; this enum only names it.
 */
public enum CloseCode {

	/** The purpose for which the connection was established has been fulfilled. */
	NORMAL_CLOSURE(1000),

	/** The endpoint is going away: server going down or browser leaving the page. */
	GOING_AWAY(1001),

	/** The endpoint is terminating the connection due to a protocol error. */
	PROTOCOL_ERROR(1002),

	/** The endpoint received a type of data it cannot accept. */
	UNSUPPORTED_DATA(1003),

	/** Never sent on the wire: the Close frame carried no status code. */
	NO_STATUS_RECEIVED(1005),

	/** Never sent on the wire: the connection closed without a Close frame. */
	ABNORMAL_CLOSURE(1006),

	/**
	 * The endpoint received data inconsistent with the message type, such as non-UTF-8
	 * text.
	 */
	INVALID_FRAME_PAYLOAD_DATA(1007),

	/** The endpoint received a message that violates its policy. */
	POLICY_VIOLATION(1008),

	/** The endpoint received a message too big to process. */
	MESSAGE_TOO_BIG(1009),

	/** The client expected the server to negotiate an extension it did not. */
	MANDATORY_EXTENSION(1010),

	/** The endpoint encountered an unexpected condition. */
	INTERNAL_ERROR(1011),

	/** The server is restarting. */
	SERVICE_RESTART(1012),

	/** The server is overloaded; try again later. */
	TRY_AGAIN_LATER(1013),

	/** A gateway received an invalid response from its upstream. */
	BAD_GATEWAY(1014),

	/** Never sent on the wire: the TLS handshake failed. */
	TLS_HANDSHAKE(1015);

	private final int code;

	CloseCode(int code) {
		this.code = code;
	}

	public int code() {
		return this.code;
	}

	/**
	 * Whether RFC 6455 §7.4.1 forbids sending this code in a Close frame.
	 * @return whether the code is local-only
	 */
	public boolean localOnly() {
		return this == NO_STATUS_RECEIVED || this == ABNORMAL_CLOSURE || this == TLS_HANDSHAKE;
	}

	/**
	 * Return the registered code with this value.
	 * @param code the numeric code
	 * @return the registered code, or empty for an unregistered one
	 */
	public static Optional<CloseCode> of(int code) {
		for (CloseCode candidate : values()) {
			if (candidate.code == code) {
				return Optional.of(candidate);
			}
		}
		return Optional.empty();
	}

}
