package dev.closewatch.upstream;

import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

import dev.closewatch.closeevent.BrowserCloseRules;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.Configuration;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.WebSocketConnection;
import org.eclipse.jetty.websocket.core.internal.Parser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jetty's frame parser, extended to hand the raw payload of every Close frame to
 * closewatch before Jetty judges it.
 * <p>
 * Jetty 12.1 validates a Close payload while it parses the frame ({@code Frame.Parsed}
 * builds a {@code CloseStatus}, which throws for a 1-byte body, for codes outside
 * 1000–1003, 1007–1014 and 3000–4999, and for a reason that is not UTF-8), so neither the
 * session nor a frame handler ever sees a Close carrying 999, 1004, 1016–2999 or 5000,
 * which Chromium reports verbatim, and the reason of a rejected Close is lost.
 * {@code WebSocketConnection} creates its parser in its constructor and offers no hook,
 * so {@link #install} replaces it before the connection reads its first byte.
 * <p>
 * A Close whose code Chromium accepts but Jetty rejects reaches Jetty without a body, so
 * that the closing handshake completes (closewatch answers with an empty Close where
 * Chromium echoes the code, which Jetty cannot send) and the wait for the server's TCP
 * close ({@link LingeringSession}) applies to it as to any other valid Close.
 */
final class CloseFrameParser extends Parser {

	private static final Logger logger = LoggerFactory.getLogger(CloseFrameParser.class);

	private static final Field PARSER = parserField();

	private final Consumer<byte[]> closeFrames;

	private CloseFrameParser(ByteBufferPool bufferPool, Configuration configuration, Consumer<byte[]> closeFrames) {
		super(bufferPool, configuration);
		this.closeFrames = closeFrames;
	}

	/**
	 * Install the observing parser on a connection that has not read anything yet.
	 * @param connection the new connection
	 * @param bufferPool the connection's buffer pool
	 * @param configuration the session configuration
	 * @param closeFrames receives the unmasked payload of each Close frame
	 * @return whether the parser could be installed
	 */
	static boolean install(WebSocketConnection connection, ByteBufferPool bufferPool, Configuration configuration,
			Consumer<byte[]> closeFrames) {
		if (PARSER == null) {
			return false;
		}
		try {
			PARSER.set(connection, new CloseFrameParser(bufferPool, configuration, closeFrames));
			return true;
		}
		catch (IllegalAccessException | RuntimeException ex) {
			logger.warn("Cannot observe raw Close frames; codes Jetty rejects will be reported as 1006", ex);
			return false;
		}
	}

	@Override
	protected Frame.Parsed newFrame(byte firstByte, byte[] mask, ByteBuffer payload, Runnable releaser) {
		if ((firstByte & 0x0F) == OpCode.CLOSE) {
			byte[] bytes = new byte[(payload != null) ? payload.remaining() : 0];
			if (payload != null) {
				payload.duplicate().get(bytes);
			}
			if (mask != null) {
				for (int i = 0; i < bytes.length; i++) {
					bytes[i] ^= mask[i % 4];
				}
			}
			this.closeFrames.accept(bytes);
			if (acceptedByBrowsersOnly(bytes)) {
				// an empty Close for Jetty, so that it completes the closing handshake as
				// a browser does instead of failing the connection with 1002
				return super.newFrame(firstByte, mask, ByteBuffer.allocate(0), releaser);
			}
		}
		return super.newFrame(firstByte, mask, payload, releaser);
	}

	// 999, 1004, 1016-2999, 5000 and up: Chromium accepts them, Jetty cannot even send
	// them
	private static boolean acceptedByBrowsersOnly(byte[] payload) {
		if (payload.length < 2) {
			return false;
		}
		int code = ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
		boolean jettyAccepts = CloseStatus.isTransmittableStatusCode(code);
		return !jettyAccepts && BrowserCloseRules.acceptsClose(payload);
	}

	private static Field parserField() {
		try {
			Field field = WebSocketConnection.class.getDeclaredField("parser");
			field.setAccessible(true);
			return field;
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			logger.warn("Cannot observe raw Close frames; codes Jetty rejects will be reported as 1006", ex);
			return null;
		}
	}

}
