package dev.closewatch.upstream;

import java.nio.ByteBuffer;

import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.Behavior;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.Negotiated;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.WebSocketComponents;
import org.eclipse.jetty.websocket.core.WebSocketCoreSession;

/**
 * A Jetty core session that hands the raw payload of the first Close frame to the
 * {@link AttemptHandler} before Jetty validates it. Jetty rejects close codes that
 * browsers accept (999, 1004, 1016–2999, 5000 and up) in
 * {@code FrameValidation.assertValidIncoming} and drops their reason; seeing the frame
 * first is what lets closewatch report what a browser would have reported.
 */
class ObservingCoreSession extends WebSocketCoreSession {

	private final AttemptHandler handler;

	ObservingCoreSession(AttemptHandler handler, Negotiated negotiated, WebSocketComponents components) {
		super(handler, Behavior.CLIENT, negotiated, components);
		this.handler = handler;
	}

	@Override
	public void onFrame(Frame frame, Callback callback) {
		if (frame.getOpCode() == OpCode.CLOSE) {
			ByteBuffer payload = frame.getPayload();
			byte[] bytes = new byte[(payload != null) ? payload.remaining() : 0];
			if (payload != null) {
				payload.duplicate().get(bytes);
			}
			this.handler.closeFrameReceived(bytes);
		}
		super.onFrame(frame, callback);
	}

}
