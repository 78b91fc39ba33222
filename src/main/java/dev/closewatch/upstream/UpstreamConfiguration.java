package dev.closewatch.upstream;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

import dev.closewatch.closeevent.RecordedCloseEventIds;
import dev.closewatch.reconnect.RuleBasedReconnectPolicy;
import dev.closewatch.reconnect.ReconnectProperties;
import dev.closewatch.upstream.UpstreamProperties.Upstream;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.TaskScheduler;

/**
 * The Jetty WebSocket clients of the upstreams and the supervisor that owns their
 * connection loops.
 */
@Configuration(proxyBeanMethods = false)
class UpstreamConfiguration {

	@Bean
	static UpstreamsBindHandlerAdvisor upstreamsBindHandlerAdvisor(ApplicationContext context,
			ConfigurableListableBeanFactory beanFactory) {
		return new UpstreamsBindHandlerAdvisor(context, beanFactory);
	}

	@Bean(destroyMethod = "close")
	UpstreamClients upstreamClients(UpstreamProperties properties, ObjectProvider<SslBundles> sslBundles,
			TaskScheduler closewatchScheduler) throws Exception {
		UpstreamClients clients = new UpstreamClients(properties.connectTimeout(), closewatchScheduler);
		for (Map.Entry<String, Upstream> entry : properties.upstreams().entrySet()) {
			String bundle = entry.getValue().sslBundle();
			if (bundle != null) {
				SslBundles bundles = sslBundles.getIfAvailable();
				String property = "closewatch.upstreams." + entry.getKey() + ".ssl-bundle";
				if (bundles == null || !bundles.getBundleNames().contains(bundle)) {
					clients.close();
					throw new IllegalArgumentException(
							property + ": no SSL bundle named '" + bundle + "' (define it under spring.ssl.bundle.pem."
									+ bundle + " or spring.ssl.bundle.jks." + bundle + ")");
				}
				clients.addBundle(bundle, bundles.getBundle(bundle));
			}
		}
		return clients;
	}

	@Bean
	UpstreamConnections upstreamConnections(UpstreamProperties properties, ReconnectProperties reconnect,
			UpstreamClients upstreamClients, TaskScheduler closewatchScheduler, Clock clock,
			ApplicationEventPublisher events, Environment environment,
			ObjectProvider<RecordedCloseEventIds> recordedIds) {
		UpstreamPropertyNames.checkKnown(environment);
		// ids continue above those of earlier runs, and from the clock so that they stay
		// increasing across restarts whatever was recorded (1,000 ids a millisecond)
		long recorded = recordedIds.getIfAvailable(() -> () -> 0).highest();
		CloseEventSequence sequence = new CloseEventSequence(Math.max(clock.millis() * 1000, recorded), events);
		HandshakeGate gate = new HandshakeGate(properties.maxConcurrentHandshakes());
		List<UpstreamConnection> connections = new ArrayList<>();
		for (Map.Entry<String, Upstream> entry : properties.upstreams().entrySet()) {
			String name = entry.getKey();
			ReconnectProperties settings = reconnect.withOverrides(entry.getValue().reconnect(),
					"closewatch.upstreams." + name + ".reconnect");
			ConnectionSettings.Liveness liveness = properties.liveness(name);
			ConnectionSettings connection = new ConnectionSettings(properties.connectTimeout(),
					properties.closeTimeout(), properties.tcpCloseTimeout(), liveness);
			connections.add(new UpstreamConnection(UpstreamTarget.of(name, entry.getValue()), connection,
					new RuleBasedReconnectPolicy(settings, RandomGenerator.getDefault()),
					upstreamClients.client(entry.getValue().sslBundle()), closewatchScheduler, clock, events, sequence,
					gate));
		}
		Duration stopTimeout = properties.closeTimeout().plusSeconds(1);
		return new UpstreamConnections(connections, closewatchScheduler, clock, stopTimeout, properties.startupSpread(),
				properties.connectTimeout(), LivenessSweep.tick(connections));
	}

}
