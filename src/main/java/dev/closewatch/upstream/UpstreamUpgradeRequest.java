package dev.closewatch.upstream;

import java.net.URI;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.client.transport.HttpRequest;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpScheme;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.thread.Scheduler;
import org.eclipse.jetty.websocket.core.Behavior;
import org.eclipse.jetty.websocket.core.ExtensionStack;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.Negotiated;
import org.eclipse.jetty.websocket.core.WebSocketConnection;
import org.eclipse.jetty.websocket.core.WebSocketConstants;
import org.eclipse.jetty.websocket.core.WebSocketCoreSession;
import org.eclipse.jetty.websocket.core.client.CoreClientUpgradeRequest;
import org.eclipse.jetty.websocket.core.client.WebSocketCoreClient;
import org.jspecify.annotations.Nullable;

/**
 * The opening handshake of one attempt, checked as strictly as a browser checks it, and
 * the switch to a WebSocket connection whose Close frames closewatch sees raw
 * ({@link CloseFrameParser}) once it succeeds.
 * <p>
 * Jetty checks {@code Connection} and {@code Sec-WebSocket-Accept} before calling
 * {@link #upgrade}; this class adds what it leaves out (RFC 6455 §4.1 {@code Upgrade:
 * websocket}, no extension that was not offered, and the WHATWG rule that a requested
 * subprotocol must be selected) and builds the session and connection itself (as
 * {@code CoreClientUpgradeRequest.upgrade} does in Jetty 12.1), which is where the
 * observing parser can be put in place, and a session that waits for the server to close
 * TCP after the closing handshake ({@link LingeringSession}).
 */
class UpstreamUpgradeRequest extends CoreClientUpgradeRequest {

	/**
	 * Masks for every connection's frames. Jetty's connection creates a
	 * {@code SecureRandom} of its own unless given one: a provider look-up on every
	 * reconnect and 64 bytes kept per connection, for the few frames (pings, Close) a
	 * monitor sends. {@code SecureRandom} is thread-safe.
	 */
	private static final SecureRandom MASKS = new SecureRandom();

	private final WebSocketCoreClient client;

	private final AttemptHandler handler;

	private final long maxFrameSize;

	private final Duration connectTimeout;

	private final Duration tcpCloseTimeout;

	private final URI uri;

	private volatile @Nullable Request request;

	private volatile Scheduler.@Nullable Task timeout;

	UpstreamUpgradeRequest(WebSocketCoreClient client, UpstreamTarget target, AttemptHandler handler,
			Duration connectTimeout, Duration tcpCloseTimeout, long maxFrameSize) {
		super(client, target.uri());
		this.client = client;
		this.handler = handler;
		this.maxFrameSize = maxFrameSize;
		this.connectTimeout = connectTimeout;
		this.tcpCloseTimeout = tcpCloseTimeout;
		this.uri = target.uri();
		headers((headers) -> target.headers().forEach(headers::put));
		if (!target.subprotocols().isEmpty()) {
			// one comma-separated header, as browsers send it
			headers((headers) -> headers.put(HttpHeader.SEC_WEBSOCKET_SUBPROTOCOL,
					String.join(", ", target.subprotocols())));
		}
		listener(new Request.Listener() {
			@Override
			public void onQueued(Request request) {
				UpstreamUpgradeRequest.this.request = request;
				startTimeout();
			}
		});
	}

	/**
	 * Bound the whole opening handshake (TCP connect, TLS, upgrade) by the connect
	 * timeout, with a timer that is cancelled, and so let go, when the handshake ends.
	 * Jetty's own request timeout ({@code Request.timeout}) is not used: its timer is
	 * never cancelled, only ignored when it fires, and until then it keeps the finished
	 * request, its HTTP connection and parser reachable, for 20 s by default after every
	 * successful open. At 1,000 reconnects per second that is 20,000 dead HTTP
	 * connections that each young collection copies (docs/performance.md, round 4).
	 */
	private void startTimeout() {
		long millis = this.connectTimeout.toMillis();
		this.timeout = this.client.getHttpClient()
			.getScheduler()
			.schedule(() -> abort(new TimeoutException("Total timeout " + millis + " ms elapsed")), millis,
					TimeUnit.MILLISECONDS);
	}

	private void handshakeEnded() {
		this.request = null;
		Scheduler.Task timeout = this.timeout;
		if (timeout != null) {
			this.timeout = null;
			timeout.cancel();
		}
	}

	@Override
	public FrameHandler getFrameHandler() {
		return this.handler;
	}

	/**
	 * Abort the handshake if it is still under way.
	 * @param cause why
	 */
	void abort(Throwable cause) {
		Request request = this.request;
		if (request != null) {
			request.abort(cause);
		}
	}

	@Override
	public void onComplete(Result result) {
		handshakeEnded();
		Response response = result.getResponse();
		if (response != null && response.getStatus() != 101) {
			this.handler.rejectedWith(response.getStatus(), response.getHeaders().get(HttpHeader.RETRY_AFTER));
		}
		else if (response != null && result.isFailed()) {
			closeRejectedUpgrade(result.getRequest());
		}
		super.onComplete(result);
	}

	/**
	 * Close the connection of a 101 response that failed the checks. Jetty 12.1's
	 * {@code UpgradeProtocolHandler} hands the connection over to the upgrade and, when
	 * the upgrade fails (a bad {@code Sec-WebSocket-Accept}, or one of the checks in
	 * {@link #upgrade}), only reports the failure: the socket stayed in CLOSE_WAIT for
	 * good, one per attempt (found by the soak, docs/operations.md).
	 */
	private static void closeRejectedUpgrade(Request request) {
		if (request instanceof HttpRequest http
				&& http.getConversation().getAttribute(EndPoint.class.getName()) instanceof EndPoint endPoint) {
			endPoint.close();
		}
	}

	@Override
	protected void handleException(Throwable failure) {
		this.handler.handshakeFailed(failure);
	}

	@Override
	public void upgrade(Response response, EndPoint endPoint) {
		HttpField upgrade = response.getHeaders().getField(HttpHeader.UPGRADE);
		if (upgrade == null || !upgrade.getValue().trim().toLowerCase(Locale.ROOT).equals("websocket")) {
			throw new HandshakeRejectedException("handshake-no-upgrade", "101 response without 'Upgrade: websocket'"
					+ ((upgrade != null) ? " (was '" + upgrade.getValue() + "')" : ""));
		}
		if (response.getHeaders().getField(HttpHeader.SEC_WEBSOCKET_EXTENSIONS) != null) {
			throw new HandshakeRejectedException("handshake-extension",
					"101 response selected an extension that was not offered: "
							+ response.getHeaders().get(HttpHeader.SEC_WEBSOCKET_EXTENSIONS));
		}
		String subprotocol = negotiatedSubprotocol(response);
		ExtensionStack extensions = new ExtensionStack(this.client.getWebSocketComponents(), Behavior.CLIENT);
		extensions.negotiate(List.of(), List.of());
		// the configured URI, shared by every session of this upstream: getURI() would
		// build (and the session keep) a new one per connection
		Negotiated negotiated = new Negotiated(this.uri, subprotocol, HttpScheme.WSS.is(this.uri.getScheme()),
				extensions, WebSocketConstants.SPEC_VERSION_STRING);
		HttpClient httpClient = this.client.getHttpClient();
		WebSocketCoreSession session = new LingeringSession(this.handler, negotiated,
				this.client.getWebSocketComponents(), this.tcpCloseTimeout, httpClient.getScheduler());
		// a browser never closes a quiet connection: no idle timeout (Jetty's default is
		// 30 s)
		session.setIdleTimeout(Duration.ZERO);
		session.setMaxFrameSize(this.maxFrameSize);
		session.setAutoFragment(false);
		customize(endPoint);
		ByteBufferPool bufferPool = this.client.getWebSocketComponents().getByteBufferPool();
		WebSocketConnection connection = new WebSocketConnection(endPoint, httpClient.getExecutor(),
				httpClient.getScheduler(), bufferPool, session, MASKS);
		CloseFrameParser.install(connection, bufferPool, session, this.handler::closeFrameReceived);
		session.setWebSocketConnection(connection);
		this.handler.upgraded(response.getStatus(), leafCertificateExpiry(endPoint));
		// the HTTP request holds the exchange, its connection and parser: let them go
		// with the handshake rather than keep them for the life of the session
		handshakeEnded();
		endPoint.upgrade(connection);
	}

	private static @Nullable Instant leafCertificateExpiry(EndPoint endPoint) {
		EndPoint.SslSessionData tls = endPoint.getSslSessionData();
		X509Certificate[] chain = (tls != null) ? tls.peerCertificates() : null;
		return (chain != null && chain.length > 0) ? chain[0].getNotAfter().toInstant() : null;
	}

	private @Nullable String negotiatedSubprotocol(Response response) {
		List<String> offered = getSubProtocols();
		List<String> selected = response.getHeaders().getCSV(HttpHeader.SEC_WEBSOCKET_SUBPROTOCOL, true);
		if (selected.size() > 1) {
			throw new HandshakeRejectedException("handshake-subprotocol",
					"101 response selected more than one subprotocol: " + selected);
		}
		String subprotocol = selected.isEmpty() ? null : selected.get(0);
		if (subprotocol != null && !offered.contains(subprotocol)) {
			throw new HandshakeRejectedException("handshake-subprotocol",
					"101 response selected subprotocol '" + subprotocol + "', which was not offered " + offered);
		}
		// WHATWG "establish a WebSocket connection": protocols were requested but none
		// selected
		if (subprotocol == null && !offered.isEmpty()) {
			throw new HandshakeRejectedException("handshake-subprotocol",
					"101 response selected none of the offered subprotocols " + offered);
		}
		return subprotocol;
	}

}
