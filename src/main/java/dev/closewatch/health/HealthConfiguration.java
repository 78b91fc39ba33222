package dev.closewatch.health;

import dev.closewatch.upstream.Upstreams;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Contributes {@link UpstreamsHealthIndicator} to the health endpoint as
 * {@code upstreams}.
 */
@Configuration(proxyBeanMethods = false)
class HealthConfiguration {

	@Bean
	UpstreamsHealthIndicator upstreamsHealthIndicator(Upstreams upstreams) {
		return new UpstreamsHealthIndicator(upstreams);
	}

}
