package dev.closewatch.config;

import dev.closewatch.upstream.UpstreamDefinitions;
import dev.closewatch.upstream.UpstreamSources;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Provides the watched files of upstream definitions.
 */
@Configuration(proxyBeanMethods = false)
class ConfigSourcesConfiguration {

	@Bean
	UpstreamFiles upstreamFiles(UpstreamFileProperties properties, UpstreamDefinitions definitions,
			UpstreamSources sources) {
		return new UpstreamFiles(properties, definitions, sources);
	}

}
