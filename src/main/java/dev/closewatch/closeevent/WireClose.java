package dev.closewatch.closeevent;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

/**
 * A Close frame payload as it was on the wire, judged the way Chromium's
 * {@code WebSocketChannel::ParseClose} judges it: every status code is accepted except
 * the local-only 1005, 1006 and 1015, and a 1-byte body, a body over 125 bytes or a
 * reason that is not UTF-8 fail the connection.
 *
 * @param code the status code, {@code 1005} for an empty body, {@code null} when the body
 * is too short to hold one
 * @param reason the reason text (lossy when it is not valid UTF-8)
 * @param violation why a browser would reject this frame, {@code null} when it accepts it
 */
record WireClose(@Nullable Integer code, String reason, @Nullable String violation) {

	// RFC 6455 §5.5: all control frames MUST have a payload length of 125 bytes or less
	private static final int MAX_CONTROL_PAYLOAD = 125;

	static WireClose parse(byte[] payload) {
		if (payload.length == 0) {
			return new WireClose(CloseCode.NO_STATUS_RECEIVED.code(), "", null);
		}
		if (payload.length == 1) {
			return new WireClose(null, "", "Close frame with a 1-byte body");
		}
		int code = ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
		ByteBuffer reasonBytes = ByteBuffer.wrap(payload, 2, payload.length - 2);
		String strict = decodeStrictly(reasonBytes.duplicate());
		String reason = (strict != null) ? strict : StandardCharsets.UTF_8.decode(reasonBytes).toString();
		if (payload.length > MAX_CONTROL_PAYLOAD) {
			return new WireClose(code, reason, "Close frame of " + payload.length + " bytes (more than 125)");
		}
		if (CloseCode.of(code).filter(CloseCode::localOnly).isPresent()) {
			return new WireClose(code, reason, "reserved status code " + code + " on the wire");
		}
		if (strict == null) {
			return new WireClose(code, reason, "Close reason is not valid UTF-8");
		}
		return new WireClose(code, reason, null);
	}

	boolean valid() {
		return this.violation == null;
	}

	private static @Nullable String decodeStrictly(ByteBuffer bytes) {
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(bytes)
				.toString();
		}
		catch (CharacterCodingException ex) {
			return null;
		}
	}

}
