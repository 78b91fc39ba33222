package dev.closewatch.upstream;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.closewatch.closeevent.BrowserCloseRules;
import dev.closewatch.closeevent.ClientClose;
import dev.closewatch.closeevent.CloseObservation;
import dev.closewatch.closeevent.Failure;
import dev.closewatch.closeevent.FailureKind;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.exception.MessageTooLargeException;
import org.jspecify.annotations.Nullable;

/**
 * The Jetty frame handler of one connection attempt. It answers pings, counts messages
 * and remembers what a browser's close reporting depends on: whether the upgrade
 * completed, the first Close frame received (raw), the Close closewatch sent first, and
 * the first failure. When Jetty reports the end it hands that observation over once.
 */
class AttemptHandler implements FrameHandler {

	private final int number;

	private final AttemptListener listener;

	private final AtomicBoolean ended = new AtomicBoolean();

	private final AtomicLong messages = new AtomicLong();

	// 0: waiting at the handshake gate, 1: handshake under way, 2: left the gate
	private final AtomicInteger gate = new AtomicInteger();

	private final Object lock = new Object();

	private boolean opened;

	// Jetty reported the session closed
	private boolean closed;

	// the closing handshake is complete and the server has yet to close TCP
	private boolean awaitingTcpClose;

	private byte @Nullable [] serverClose;

	private @Nullable ClientClose clientClose;

	private @Nullable Failure failure;

	private @Nullable Integer handshakeStatus;

	private @Nullable String retryAfter;

	private volatile @Nullable CoreSession session;

	// only touched by Jetty's frame delivery, which is serial per connection
	private @Nullable Utf8Validation text;

	private volatile @Nullable UpstreamUpgradeRequest request;

	private final Clock clock;

	private final ConnectionSettings.Liveness liveness;

	// liveness state, written by Jetty's serial frame delivery and read by the sweep
	private volatile Instant lastMessageAt = Instant.EPOCH;

	private volatile Instant lastPingAt = Instant.EPOCH;

	private volatile @Nullable Instant pingSentAt;

	private volatile long pingSequence;

	private long messageBytes;

	private volatile @Nullable Instant certificateNotAfter;

	AttemptHandler(int number, AttemptListener listener, Clock clock, ConnectionSettings.Liveness liveness) {
		this.number = number;
		this.listener = listener;
		this.clock = clock;
		this.liveness = liveness;
	}

	int number() {
		return this.number;
	}

	void markSent() {
		this.gate.compareAndSet(0, 1);
	}

	boolean isSent() {
		return this.gate.get() > 0;
	}

	/**
	 * Leave the handshake gate, once.
	 * @return whether this call left it
	 */
	boolean releaseGate() {
		return this.gate.compareAndSet(1, 2);
	}

	long messages() {
		return this.messages.get();
	}

	void request(UpstreamUpgradeRequest request) {
		this.request = request;
	}

	void upgraded(int status, @Nullable Instant certificateNotAfter) {
		synchronized (this.lock) {
			this.handshakeStatus = status;
		}
		this.certificateNotAfter = certificateNotAfter;
	}

	@Nullable Instant certificateNotAfter() {
		return this.certificateNotAfter;
	}

	void rejectedWith(int status, @Nullable String retryAfter) {
		synchronized (this.lock) {
			if (status > 0) {
				this.handshakeStatus = status;
			}
			this.retryAfter = retryAfter;
		}
	}

	@Nullable String retryAfter() {
		synchronized (this.lock) {
			return this.retryAfter;
		}
	}

	void closeFrameReceived(byte[] payload) {
		boolean first;
		synchronized (this.lock) {
			first = this.serverClose == null;
			if (first) {
				this.serverClose = payload;
			}
		}
		if (first) {
			this.listener.closing(this);
		}
	}

	void handshakeFailed(Throwable cause) {
		Failure classified = FailureClassifier.classify(cause, false);
		synchronized (this.lock) {
			if (this.failure == null) {
				this.failure = classified;
			}
			Integer status = FailureClassifier.handshakeStatus(cause);
			if (status != null) {
				this.handshakeStatus = status;
			}
		}
		end();
	}

	/**
	 * Start the closing handshake, if the connection is open; abort a handshake under
	 * way.
	 * @param close the Close frame to send
	 */
	void close(ClientClose close) {
		CoreSession session = this.session;
		synchronized (this.lock) {
			if (this.serverClose != null || this.clientClose != null) {
				return;
			}
			this.clientClose = close;
		}
		if (session != null) {
			this.listener.closing(this);
			session.close(close.code(), close.reason(), Callback.NOOP);
		}
		else {
			abortHandshake(new Failure(FailureKind.ABORTED, close.cause(), "closed before the handshake completed"));
		}
	}

	/**
	 * Drop the connection without a closing handshake, recording why.
	 * @param why the failure to record, unless an earlier one was recorded
	 */
	void abort(Failure why) {
		synchronized (this.lock) {
			// after a complete closing handshake an abort only stops the wait for the FIN
			if (this.failure == null && !this.awaitingTcpClose) {
				this.failure = why;
			}
		}
		CoreSession session = this.session;
		if (session != null) {
			session.abort();
		}
		else {
			abortHandshake(why);
		}
	}

	private void abortHandshake(Failure why) {
		synchronized (this.lock) {
			if (this.failure == null) {
				this.failure = why;
			}
		}
		UpstreamUpgradeRequest request = this.request;
		if (request != null) {
			request.abort(new CancellationException(why.message()));
		}
	}

	void sendText(String text) {
		CoreSession session = this.session;
		if (session != null) {
			session.sendFrame(new Frame(OpCode.TEXT).setPayload(text), Callback.NOOP, false);
		}
	}

	@Override
	public void onOpen(CoreSession coreSession, Callback callback) {
		synchronized (this.lock) {
			this.opened = true;
		}
		this.session = coreSession;
		// only a handshake under way is aborted through its request
		this.request = null;
		Instant now = this.clock.instant();
		this.lastMessageAt = now;
		this.lastPingAt = now;
		callback.succeeded();
		this.listener.opened(this);
		coreSession.demand();
	}

	@Override
	public void onFrame(Frame frame, Callback callback) {
		CoreSession session = this.session;
		switch (frame.getOpCode()) {
			case OpCode.PING -> {
				Frame pong = new Frame(OpCode.PONG).setPayload(copy(frame));
				session.sendFrame(pong, Callback.from(() -> {
					callback.succeeded();
					session.demand();
				}, callback::failed), false);
			}
			case OpCode.CLOSE -> callback.succeeded();
			case OpCode.PONG -> {
				pongReceived(frame);
				callback.succeeded();
				session.demand();
			}
			default -> {
				if (frame.isDataFrame() && !validText(frame)) {
					callback.succeeded();
					failInvalidText(session);
					return;
				}
				if (frame.isDataFrame()) {
					this.lastMessageAt = this.clock.instant();
					this.messageBytes += frame.getPayloadLength();
					if (this.messageBytes > this.liveness.maxMessageSize()) {
						callback.succeeded();
						close(new ClientClose(1009, "Message too big", "message-too-big"));
						return;
					}
					if (frame.isFin()) {
						this.messageBytes = 0;
						this.messages.incrementAndGet();
					}
				}
				callback.succeeded();
				session.demand();
			}
		}
	}

	/**
	 * What the liveness sweep should do with this connection now.
	 * @param now the current time
	 * @return the check's outcome
	 */
	LivenessCheck check(Instant now) {
		if (this.session == null) {
			return LivenessCheck.NONE;
		}
		Instant sent = this.pingSentAt;
		if (sent != null && !now.isBefore(sent.plus(this.liveness.pongTimeout()))) {
			return LivenessCheck.PONG_OVERDUE;
		}
		if (this.liveness.checksStaleness() && !now.isBefore(this.lastMessageAt.plus(this.liveness.staleAfter()))) {
			return LivenessCheck.STALE;
		}
		if (this.liveness.pings() && sent == null
				&& !now.isBefore(this.lastPingAt.plus(this.liveness.pingInterval()))) {
			return LivenessCheck.PING_DUE;
		}
		return LivenessCheck.NONE;
	}

	void sendPing(Instant now) {
		CoreSession session = this.session;
		if (session == null) {
			return;
		}
		long sequence = ++this.pingSequence;
		this.lastPingAt = now;
		this.pingSentAt = now;
		byte[] payload = ByteBuffer.allocate(Long.BYTES).putLong(sequence).array();
		session.sendFrame(new Frame(OpCode.PING).setPayload(payload), Callback.NOOP, false);
	}

	private void pongReceived(Frame frame) {
		Instant sent = this.pingSentAt;
		if (sent == null || frame.getPayloadLength() != Long.BYTES
				|| frame.getPayload().duplicate().getLong() != this.pingSequence) {
			// an unsolicited pong (RFC 6455 §5.5.3) or the answer to an older ping
			return;
		}
		this.pingSentAt = null;
		this.listener.pong(this, Duration.between(sent, this.clock.instant()));
	}

	Instant lastMessageAt() {
		return this.lastMessageAt;
	}

	private boolean validText(Frame frame) {
		if (frame.getOpCode() == OpCode.TEXT) {
			this.text = new Utf8Validation();
		}
		Utf8Validation text = this.text;
		if (text == null) {
			return true;
		}
		boolean valid = !frame.hasPayload() || text.accept(frame.getPayload());
		if (frame.isFin()) {
			valid &= text.end();
			this.text = null;
		}
		return valid;
	}

	// Chromium fails the channel with 1002 "Invalid UTF-8 in text frame" and closes TCP
	// at once
	private void failInvalidText(CoreSession session) {
		synchronized (this.lock) {
			if (this.failure == null) {
				this.failure = new Failure(FailureKind.PROTOCOL, "invalid-utf8", "Invalid UTF-8 in text frame");
			}
		}
		session.close(1002, "Invalid UTF-8 in text frame", Callback.from(session::abort, (x) -> session.abort()));
	}

	private static byte[] copy(Frame frame) {
		byte[] bytes = new byte[frame.getPayloadLength()];
		if (frame.hasPayload()) {
			frame.getPayload().duplicate().get(bytes);
		}
		return bytes;
	}

	@Override
	public void onError(Throwable cause, Callback callback) {
		boolean opened;
		synchronized (this.lock) {
			opened = this.opened;
		}
		if (opened && cause instanceof MessageTooLargeException) {
			// Jetty sent 1009 itself: record it as closewatch's close, like an oversized
			// message
			synchronized (this.lock) {
				if (this.clientClose == null && this.serverClose == null) {
					this.clientClose = new ClientClose(1009, "Message too big", "message-too-big");
				}
			}
		}
		else if (opened) {
			Failure classified = FailureClassifier.classify(cause, true);
			synchronized (this.lock) {
				if (this.failure == null) {
					this.failure = classified;
				}
			}
		}
		callback.succeeded();
	}

	/**
	 * Whether to wait for the server to close the TCP connection now that Jetty would
	 * close it: only after a Close frame a browser accepts, which completes the closing
	 * handshake (a browser fails the connection at once on any other).
	 * @return whether to wait; {@link #tcpClosed} must follow when it does
	 */
	boolean awaitTcpClose() {
		synchronized (this.lock) {
			byte[] serverClose = this.serverClose;
			if (!this.opened || this.awaitingTcpClose || serverClose == null
					|| !BrowserCloseRules.acceptsClose(serverClose)) {
				return false;
			}
			this.awaitingTcpClose = true;
			return true;
		}
	}

	/**
	 * The TCP connection closed after the closing handshake.
	 * @param error the socket's error if it was reset (or a write of the reply Close
	 * failed), {@code null} if the server closed it in order or the wait timed out
	 */
	void tcpClosed(@Nullable IOException error) {
		boolean end;
		synchronized (this.lock) {
			if (error != null) {
				// Chromium: a Close frame then a reset is not clean; the other failures a
				// valid Close may bring (Jetty rejecting codes browsers accept) do not
				// count for it
				Failure reset = FailureClassifier.classify(error, true);
				this.failure = new Failure(reset.kind(), reset.error(),
						"The TCP connection failed after the closing handshake: " + reset.message());
			}
			this.awaitingTcpClose = false;
			end = this.closed;
		}
		if (end) {
			end();
		}
	}

	@Override
	public void onClosed(CloseStatus closeStatus, Callback callback) {
		callback.succeeded();
		boolean end;
		synchronized (this.lock) {
			this.closed = true;
			end = !this.awaitingTcpClose;
		}
		if (end) {
			end();
		}
	}

	private void end() {
		if (!this.ended.compareAndSet(false, true)) {
			return;
		}
		CloseObservation observation;
		synchronized (this.lock) {
			observation = new CloseObservation(this.opened, this.serverClose, this.clientClose, this.failure,
					this.opened ? null : this.handshakeStatus);
		}
		this.listener.ended(this, observation);
	}

}
