package dev.closewatch.upstream;

import java.time.Clock;
import java.util.random.RandomGenerator;

import dev.closewatch.reconnect.ReconnectProperties;
import dev.closewatch.reconnect.RuleBasedReconnectPolicy;
import dev.closewatch.upstream.UpstreamProperties.Upstream;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.scheduling.TaskScheduler;

/**
 * Builds the connection loop of one upstream from its definition and the defaults of
 * {@code closewatch.*}, checking the definition as startup does: the same rules and
 * messages whether it comes from the application's configuration, a watched file or the
 * REST API.
 */
final class UpstreamConnectionFactory {

	private final UpstreamProperties properties;

	private final ReconnectProperties reconnect;

	private final UpstreamClients clients;

	private final @Nullable SslBundles sslBundles;

	private final TaskScheduler scheduler;

	private final Clock clock;

	private final ApplicationEventPublisher events;

	private final CloseEventSequence sequence;

	private final HandshakeGate gate;

	UpstreamConnectionFactory(UpstreamProperties properties, ReconnectProperties reconnect, UpstreamClients clients,
			@Nullable SslBundles sslBundles, TaskScheduler scheduler, Clock clock, ApplicationEventPublisher events,
			CloseEventSequence sequence, HandshakeGate gate) {
		this.properties = properties;
		this.reconnect = reconnect;
		this.clients = clients;
		this.sslBundles = sslBundles;
		this.scheduler = scheduler;
		this.clock = clock;
		this.events = events;
		this.sequence = sequence;
		this.gate = gate;
	}

	/**
	 * Check a definition and build its connection loop, not started.
	 * @param name the upstream's name
	 * @param upstream its definition
	 * @return the connection
	 * @throws IllegalArgumentException naming the property that is wrong
	 */
	UpstreamConnection create(String name, Upstream upstream) {
		String prefix = "closewatch.upstreams." + name;
		ReconnectProperties settings = checked(name, upstream);
		ConnectionSettings.Liveness liveness = UpstreamProperties.liveness(this.properties, name, upstream);
		ConnectionSettings connection = new ConnectionSettings(this.properties.connectTimeout(),
				this.properties.closeTimeout(), this.properties.tcpCloseTimeout(), liveness);
		UpstreamConnection created = new UpstreamConnection(UpstreamTarget.of(name, upstream), connection,
				new RuleBasedReconnectPolicy(settings, RandomGenerator.getDefault()), client(prefix, upstream),
				this.scheduler, this.clock, this.events, this.sequence, this.gate);
		created.labels(upstream.labels());
		return created;
	}

	/**
	 * Check a definition as {@link #create} does, building nothing.
	 * @param name the upstream's name
	 * @param upstream its definition
	 * @throws IllegalArgumentException naming the property that is wrong
	 */
	void check(String name, Upstream upstream) {
		checked(name, upstream);
		UpstreamProperties.liveness(this.properties, name, upstream);
		String bundle = upstream.sslBundle();
		if (bundle != null && (this.sslBundles == null || !this.sslBundles.getBundleNames().contains(bundle))) {
			throw new IllegalArgumentException("closewatch.upstreams." + name + ".ssl-bundle: no SSL bundle named '"
					+ bundle + "' (define it under spring.ssl.bundle.pem." + bundle + " or spring.ssl.bundle.jks."
					+ bundle + ")");
		}
	}

	private ReconnectProperties checked(String name, Upstream upstream) {
		UpstreamProperties.validate(name, upstream);
		return this.reconnect.withOverrides(upstream.reconnect(), "closewatch.upstreams." + name + ".reconnect");
	}

	private org.eclipse.jetty.websocket.core.client.WebSocketCoreClient client(String prefix, Upstream upstream) {
		String bundle = upstream.sslBundle();
		if (bundle == null) {
			return this.clients.client(null);
		}
		if (this.sslBundles == null || !this.sslBundles.getBundleNames().contains(bundle)) {
			throw new IllegalArgumentException(
					prefix + ".ssl-bundle: no SSL bundle named '" + bundle + "' (define it under spring.ssl.bundle.pem."
							+ bundle + " or spring.ssl.bundle.jks." + bundle + ")");
		}
		try {
			this.clients.addBundle(bundle, this.sslBundles.getBundle(bundle));
		}
		catch (Exception ex) {
			throw new IllegalArgumentException(prefix + ".ssl-bundle: cannot use SSL bundle '" + bundle + "': " + ex,
					ex);
		}
		return this.clients.client(bundle);
	}

}
