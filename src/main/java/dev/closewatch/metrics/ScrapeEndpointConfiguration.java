package dev.closewatch.metrics;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.ConditionalOnEnabledMetricsExport;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusScrapeEndpoint;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Replaces Boot's {@code /actuator/prometheus} endpoint with
 * {@link UpstreamsScrapeEndpoint}, under the conditions Boot creates its own (Boot's
 * backs off: it is {@code @ConditionalOnMissingBean}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(PrometheusRegistry.class)
@ConditionalOnEnabledMetricsExport("prometheus")
@ConditionalOnAvailableEndpoint(PrometheusScrapeEndpoint.class)
class ScrapeEndpointConfiguration {

	@Bean
	UpstreamsScrapeEndpoint prometheusEndpoint(PrometheusRegistry prometheusRegistry,
			PrometheusConfig prometheusConfig) {
		return new UpstreamsScrapeEndpoint(prometheusRegistry, prometheusConfig.prometheusProperties());
	}

}
