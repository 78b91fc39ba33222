package dev.closewatch.metrics;

import java.time.Clock;

import dev.closewatch.upstream.UpstreamSources;
import dev.closewatch.upstream.Upstreams;
import io.micrometer.core.instrument.MeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Provides the {@link CloseEventMetrics} listener and registers its per-upstream
 * collector with the Prometheus registry that {@code /actuator/prometheus} scrapes.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(MetricsProperties.class)
class MetricsConfiguration {

	@Bean
	CloseEventMetrics closeEventMetrics(Upstreams upstreams, Clock clock, MeterRegistry meterRegistry,
			MetricsProperties properties) {
		return new CloseEventMetrics(upstreams, clock, meterRegistry, properties.perUpstreamTimers());
	}

	@Bean
	ConfigReloadMetrics configReloadMetrics(ObjectProvider<UpstreamSources> sources) {
		return new ConfigReloadMetrics(sources);
	}

	@Bean
	UpstreamMetricsCollector upstreamMetricsCollector(CloseEventMetrics metrics,
			ObjectProvider<PrometheusRegistry> prometheusRegistry) {
		UpstreamMetricsCollector collector = metrics.collector();
		prometheusRegistry.ifAvailable((registry) -> registry.register(collector));
		return collector;
	}

}
