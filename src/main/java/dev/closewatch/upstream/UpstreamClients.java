package dev.closewatch.upstream;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.eclipse.jetty.client.DuplexConnectionPool;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.core.WebSocketComponents;
import org.eclipse.jetty.websocket.core.client.WebSocketCoreClient;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.scheduling.TaskScheduler;

/**
 * The Jetty WebSocket clients of all upstreams: one shared client for the JVM's default
 * trust, and one per Spring Boot SSL bundle an upstream names (a custom CA, a client
 * certificate for mutual TLS). A Jetty {@code HttpClient} has one TLS context, hence one
 * client per bundle.
 */
final class UpstreamClients implements AutoCloseable {

	private final Duration connectTimeout;

	private final TaskScheduler scheduler;

	private final WebSocketCoreClient shared;

	private final Map<String, WebSocketCoreClient> byBundle = new LinkedHashMap<>();

	UpstreamClients(Duration connectTimeout, TaskScheduler scheduler) throws Exception {
		this.connectTimeout = connectTimeout;
		this.scheduler = scheduler;
		// one small pool for the selector, handshakes and frames of every upstream:
		// nothing
		// blocks, and 10,000 idle upstreams need no more (docs/performance.md)
		this.shared = start("closewatch-ws", 3, new SslContextFactory.Client());
	}

	/**
	 * Add the client of an SSL bundle, once.
	 * @param name the bundle's name
	 * @param bundle the bundle
	 * @throws Exception if the client cannot start
	 */
	synchronized void addBundle(String name, SslBundle bundle) throws Exception {
		if (this.byBundle.containsKey(name)) {
			return;
		}
		SslContextFactory.Client tls = new SslContextFactory.Client();
		tls.setSslContext(bundle.createSslContext());
		// keep hostname verification (RFC 6125), as a browser does, whatever the bundle
		// says
		tls.setEndpointIdentificationAlgorithm("HTTPS");
		this.byBundle.put(name, start("closewatch-ws-" + name, 3, tls));
	}

	/**
	 * Return the client for an upstream.
	 * @param bundle the SSL bundle the upstream names, or {@code null} for the default
	 * @return the client
	 */
	synchronized WebSocketCoreClient client(@Nullable String bundle) {
		if (bundle == null) {
			return this.shared;
		}
		WebSocketCoreClient client = this.byBundle.get(bundle);
		if (client == null) {
			throw new IllegalStateException("No client for SSL bundle '" + bundle + "'");
		}
		return client;
	}

	private WebSocketCoreClient start(String name, int maxThreads, SslContextFactory.Client tls) throws Exception {
		QueuedThreadPool executor = new QueuedThreadPool(maxThreads, Math.min(2, maxThreads));
		executor.setName(name);
		executor.setDaemon(true);
		// tells a reset from a FIN after the closing handshake (LingeringSession)
		ClientConnector connector = new ResetAwareEndPoint.Connector();
		connector.setSelectors(1);
		connector.setExecutor(executor);
		connector.setConnectTimeout(this.connectTimeout);
		connector.setSslContextFactory(tls);
		HttpClientTransportOverHTTP transport = new HttpClientTransportOverHTTP(connector);
		// every handshake on a fresh connection, as a browser does: after a 403 or 503
		// the
		// server may close the connection, and a reused one would fail the next attempt
		transport.setConnectionPoolFactory((destination) -> {
			DuplexConnectionPool pool = new DuplexConnectionPool(destination, 100_000);
			pool.setMaxUsage(1);
			return pool;
		});
		HttpClient httpClient = new HttpClient(transport);
		httpClient.setExecutor(executor);
		// timeouts run on closewatch's scheduler rather than a thread per client
		httpClient.setScheduler(new TaskSchedulerAdapter(this.scheduler));
		// browsers never follow redirects of a WebSocket handshake
		httpClient.setFollowRedirects(false);
		httpClient.setConnectTimeout(this.connectTimeout.toMillis());
		httpClient.setMaxConnectionsPerDestination(100_000);
		httpClient.setMaxRequestsQueuedPerDestination(100_000);
		httpClient.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, "closewatch"));
		// without components of its own the client starts a second, default-sized pool
		// ("WebSocket@...", 8 to 200 threads); share the one above instead
		WebSocketComponents components = new WebSocketComponents(null, null, null, null, null, executor);
		WebSocketCoreClient client = new WebSocketCoreClient(httpClient, components);
		client.start();
		return client;
	}

	@Override
	public synchronized void close() throws Exception {
		for (WebSocketCoreClient client : this.byBundle.values()) {
			client.stop();
		}
		this.shared.stop();
	}

}
