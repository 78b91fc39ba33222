package dev.closewatch.metrics;

import java.time.Clock;

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
	CloseEventMetrics closeEventMetrics(Upstreams upstreams, InMemoryCloseEventHistory history, Clock clock) {
		return new CloseEventMetrics(upstreams, history, clock);
	}

}
