package dev.closewatch.upstream;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpScheme;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.EndPoint;
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
 * observing parser can be put in place.
 */
class UpstreamUpgradeRequest extends CoreClientUpgradeRequest {

	private final WebSocketCoreClient client;

	private final AttemptHandler handler;

	private final long maxFrameSize;

	private volatile @Nullable Request request;

	UpstreamUpgradeRequest(WebSocketCoreClient client, UpstreamTarget target, AttemptHandler handler,
			Duration connectTimeout, long maxFrameSize) {
		super(client, target.uri());
		this.client = client;
		this.handler = handler;
		this.maxFrameSize = maxFrameSize;
		timeout(connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
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
			}
		});
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
		Response response = result.getResponse();
		if (response != null && response.getStatus() != 101) {
			this.handler.rejectedWith(response.getStatus(), response.getHeaders().get(HttpHeader.RETRY_AFTER));
		}
		super.onComplete(result);
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
		Negotiated negotiated = new Negotiated(getURI(), subprotocol, HttpScheme.WSS.is(getURI().getScheme()),
				extensions, WebSocketConstants.SPEC_VERSION_STRING);
		WebSocketCoreSession session = new WebSocketCoreSession(this.handler, Behavior.CLIENT, negotiated,
				this.client.getWebSocketComponents());
		// a browser never closes a quiet connection: no idle timeout (Jetty's default is
		// 30 s)
		session.setIdleTimeout(Duration.ZERO);
		session.setMaxFrameSize(this.maxFrameSize);
		session.setAutoFragment(false);
		customize(endPoint);
		HttpClient httpClient = this.client.getHttpClient();
		ByteBufferPool bufferPool = this.client.getWebSocketComponents().getByteBufferPool();
		WebSocketConnection connection = new WebSocketConnection(endPoint, httpClient.getExecutor(),
				httpClient.getScheduler(), bufferPool, session);
		CloseFrameParser.install(connection, bufferPool, session, this.handler::closeFrameReceived);
		session.setWebSocketConnection(connection);
		this.handler.upgraded(response.getStatus(), leafCertificateExpiry(endPoint));
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
