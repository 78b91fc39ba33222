package dev.closewatch.upstream;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

import dev.closewatch.reconnect.RuleBasedReconnectPolicy;
import dev.closewatch.reconnect.ReconnectProperties;
import dev.closewatch.upstream.UpstreamProperties.Upstream;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.websocket.core.WebSocketComponents;
import org.eclipse.jetty.websocket.core.client.WebSocketCoreClient;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.TaskScheduler;

/**
 * The Jetty WebSocket client shared by all upstreams and the supervisor that owns their
 * connection loops.
 */
@Configuration(proxyBeanMethods = false)
class UpstreamConfiguration {

	// a browser accepts frames of any size; 16 MiB keeps one hostile frame from
	// exhausting memory
	private static final long MAX_FRAME_SIZE = 16 * 1024 * 1024;

	private static final int CLIENT_MAX_THREADS = 3;

	@Bean(destroyMethod = "stop")
	WebSocketCoreClient upstreamWebSocketClient(UpstreamProperties properties) throws Exception {
		// one small pool for the client's selector, handshakes and frame handling of
		// every
		// upstream: none of them blocks, and 10,000 idle upstreams need no more (see
		// docs/performance.md)
		QueuedThreadPool executor = new QueuedThreadPool(CLIENT_MAX_THREADS, 2);
		executor.setName("closewatch-ws");
		executor.setDaemon(true);
		ClientConnector connector = new ClientConnector();
		connector.setSelectors(1);
		connector.setExecutor(executor);
		connector.setConnectTimeout(properties.connectTimeout());
		HttpClient httpClient = new HttpClient(new HttpClientTransportOverHTTP(connector));
		httpClient.setExecutor(executor);
		httpClient.setScheduler(new ScheduledExecutorScheduler("closewatch-ws-scheduler", true));
		// browsers never follow redirects of a WebSocket handshake
		httpClient.setFollowRedirects(false);
		httpClient.setConnectTimeout(properties.connectTimeout().toMillis());
		httpClient.setMaxConnectionsPerDestination(100_000);
		httpClient.setMaxRequestsQueuedPerDestination(100_000);
		httpClient.setUserAgentField(
				new org.eclipse.jetty.http.HttpField(org.eclipse.jetty.http.HttpHeader.USER_AGENT, "closewatch"));
		// without components of its own the client starts a second, default-sized pool
		// ("WebSocket@…", 8 to 200 threads); share the one above instead
		WebSocketComponents components = new WebSocketComponents(null, null, null, null, null, executor);
		WebSocketCoreClient client = new WebSocketCoreClient(httpClient, components);
		client.start();
		return client;
	}

	@Bean
	UpstreamConnections upstreamConnections(UpstreamProperties properties, ReconnectProperties reconnect,
			WebSocketCoreClient upstreamWebSocketClient, TaskScheduler closewatchScheduler, Clock clock,
			ApplicationEventPublisher events, Environment environment) {
		UpstreamPropertyNames.checkKnown(environment);
		AtomicLong ids = new AtomicLong(clock.millis() * 1000);
		HandshakeGate gate = new HandshakeGate(properties.maxConcurrentHandshakes());
		List<UpstreamConnection> connections = new ArrayList<>();
		for (Map.Entry<String, Upstream> entry : properties.upstreams().entrySet()) {
			String name = entry.getKey();
			ReconnectProperties settings = reconnect.withOverrides(entry.getValue().reconnect(),
					"closewatch.upstreams." + name + ".reconnect");
			ConnectionSettings.Liveness liveness = properties.liveness(name);
			// a single frame larger than the largest message is refused by Jetty with
			// 1009 too
			ConnectionSettings connection = new ConnectionSettings(properties.connectTimeout(),
					properties.closeTimeout(), settings.resetAfter(), liveness.maxMessageSize(), liveness);
			connections.add(new UpstreamConnection(UpstreamTarget.of(name, entry.getValue()), connection,
					new RuleBasedReconnectPolicy(settings, RandomGenerator.getDefault()), upstreamWebSocketClient,
					closewatchScheduler, clock, events, ids::incrementAndGet, gate));
		}
		Duration stopTimeout = properties.closeTimeout().plusSeconds(1);
		return new UpstreamConnections(connections, closewatchScheduler, clock, stopTimeout, properties.startupSpread(),
				LivenessSweep.tick(connections));
	}

}
