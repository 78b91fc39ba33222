package dev.closewatch.metrics;

import dev.closewatch.history.InMemoryCloseEventHistory;
import dev.closewatch.upstream.Upstreams;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Provides the {@link CloseEventMetrics} binder, which Spring Boot binds to the meter
 * registry.
 */
@Configuration(proxyBeanMethods = false)
class MetricsConfiguration {

	@Bean
	CloseEventMetrics closeEventMetrics(Upstreams upstreams, InMemoryCloseEventHistory history) {
		return new CloseEventMetrics(upstreams, history);
	}

}
