package dev.closewatch.upstream;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import dev.closewatch.closeevent.RecordedCloseEventIds;
import dev.closewatch.reconnect.ReconnectProperties;
import dev.closewatch.upstream.UpstreamProperties.Upstream;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
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

	@Bean
	UpstreamDefinitions upstreamDefinitions(UpstreamConnections connections, Environment environment) {
		return connections.definitionReader(new PropertySourcesPlaceholdersResolver(environment));
	}

	@Bean
	UpstreamSources upstreamSources(UpstreamConnections connections, UpstreamProperties properties,
			ApplicationEventPublisher events, Clock clock, ObjectProvider<UpstreamScope> scope) {
		return new UpstreamSources(connections, properties.upstreams(), events, clock,
				scope.getIfAvailable(() -> UpstreamScope.ALL));
	}

	// the client of each SSL bundle an upstream names is added by
	// UpstreamConnectionFactory
	@Bean(destroyMethod = "close")
	UpstreamClients upstreamClients(UpstreamProperties properties, TaskScheduler closewatchScheduler) throws Exception {
		return new UpstreamClients(properties.connectTimeout(), closewatchScheduler);
	}

	@Bean
	UpstreamConnections upstreamConnections(UpstreamProperties properties, ReconnectProperties reconnect,
			UpstreamClients upstreamClients, TaskScheduler closewatchScheduler, Clock clock,
			ApplicationEventPublisher events, Environment environment,
			ObjectProvider<RecordedCloseEventIds> recordedIds, ObjectProvider<SslBundles> sslBundles,
			ObjectProvider<UpstreamScope> scopeProvider) {
		UpstreamPropertyNames.checkKnown(environment);
		// ids continue above those of earlier runs, and from the clock so that they stay
		// increasing across restarts whatever was recorded (1,000 ids a millisecond)
		long recorded = recordedIds.getIfAvailable(() -> () -> 0).highest();
		CloseEventSequence sequence = new CloseEventSequence(Math.max(clock.millis() * 1000, recorded), events);
		HandshakeGate gate = new HandshakeGate(properties.maxConcurrentHandshakes());
		UpstreamConnectionFactory factory = new UpstreamConnectionFactory(properties, reconnect, upstreamClients,
				sslBundles.getIfAvailable(), closewatchScheduler, clock, events, sequence, gate);
		Duration stopTimeout = properties.closeTimeout().plusSeconds(1);
		Map<String, Upstream> upstreams = UpstreamSources.scoped(properties.upstreams(),
				scopeProvider.getIfAvailable(() -> UpstreamScope.ALL));
		return new UpstreamConnections(upstreams, factory, events, closewatchScheduler, clock, stopTimeout,
				properties.startupSpread(), properties.connectTimeout());
	}

}
