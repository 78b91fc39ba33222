package dev.closewatch.upstream;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.util.thread.Scheduler;
import org.eclipse.jetty.websocket.core.Behavior;
import org.eclipse.jetty.websocket.core.Negotiated;
import org.eclipse.jetty.websocket.core.WebSocketComponents;
import org.eclipse.jetty.websocket.core.WebSocketConnection;
import org.eclipse.jetty.websocket.core.WebSocketCoreSession;
import org.jspecify.annotations.Nullable;

/**
 * A client session that, once the closing handshake is complete, leaves the closing of
 * the TCP connection to the server for a bounded time, so that a FIN and a reset can be
 * told apart.
 * <p>
 * RFC 6455 §7.1.1 says a client "SHOULD wait for a TCP Close from the server"; Chromium
 * waits 2 s ({@code kUnderlyingConnectionCloseTimeoutSeconds}), reports a reset in that
 * time as not clean and, if nothing comes, closes the connection itself and reports it
 * clean. Jetty 12.1 ends a session in {@code WebSocketCoreSession.closeConnection}, which
 * calls {@link #abort()} and so closes the end point as soon as the reply Close is
 * written. This session keeps the end point open instead, while Jetty's connection goes
 * on reading (a cancelled demand is "synthetic demand in order to read until EOF" in
 * {@code WebSocketConnection.moreDemand}) until it calls {@link #onEof()}: for a FIN, or
 * for a reset, which only the {@link ResetAwareEndPoint} can tell apart.
 */
final class LingeringSession extends WebSocketCoreSession {

	private final AttemptHandler handler;

	private final Duration tcpCloseTimeout;

	private final Scheduler scheduler;

	private final Object lock = new Object();

	private @Nullable ResetAwareEndPoint tcp;

	private boolean tcpClosed;

	private boolean waiting;

	private Scheduler.@Nullable Task timeout;

	LingeringSession(AttemptHandler handler, Negotiated negotiated, WebSocketComponents components,
			Duration tcpCloseTimeout, Scheduler scheduler) {
		super(handler, Behavior.CLIENT, negotiated, components);
		this.handler = handler;
		this.tcpCloseTimeout = tcpCloseTimeout;
		this.scheduler = scheduler;
	}

	@Override
	public void setWebSocketConnection(WebSocketConnection connection) {
		super.setWebSocketConnection(connection);
		this.tcp = ResetAwareEndPoint.under(connection.getEndPoint());
		connection.addEventListener(new Connection.Listener() {
			@Override
			public void onClosed(Connection closed) {
				stopWaiting(true);
			}
		});
	}

	@Override
	public void abort() {
		ResetAwareEndPoint tcp = this.tcp;
		if (tcp == null || !this.handler.awaitTcpClose()) {
			super.abort();
			return;
		}
		synchronized (this.lock) {
			if (!this.tcpClosed && !tcp.isInputShutdown() && !this.tcpCloseTimeout.isZero()) {
				this.waiting = true;
				this.timeout = this.scheduler.schedule(() -> stopWaiting(false), this.tcpCloseTimeout.toNanos(),
						TimeUnit.NANOSECONDS);
				// read until EOF, whatever the demand was
				getConnection().cancelDemand();
				return;
			}
		}
		// the server closed (or reset) first, or closewatch is not to wait
		super.abort();
		this.handler.tcpClosed(tcp.transportError());
	}

	@Override
	public void onEof() {
		super.onEof();
		stopWaiting(false);
	}

	private void stopWaiting(boolean tcpClosed) {
		Scheduler.Task timeout;
		ResetAwareEndPoint tcp;
		synchronized (this.lock) {
			this.tcpClosed |= tcpClosed;
			if (!this.waiting) {
				return;
			}
			this.waiting = false;
			timeout = this.timeout;
			this.timeout = null;
			tcp = this.tcp;
		}
		if (timeout != null) {
			timeout.cancel();
		}
		super.abort();
		this.handler.tcpClosed((tcp != null) ? tcp.transportError() : null);
	}

}
