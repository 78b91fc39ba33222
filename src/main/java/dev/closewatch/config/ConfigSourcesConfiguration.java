package dev.closewatch.config;

import java.time.Clock;
import java.time.Duration;

import dev.closewatch.upstream.UpstreamDefinitions;
import dev.closewatch.upstream.UpstreamSources;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Provides the sources of upstreams that change while closewatch runs: the watched files
 * and the REST API's definitions, the latter kept in the history store's database when
 * there is one.
 */
@Configuration(proxyBeanMethods = false)
class ConfigSourcesConfiguration {

	@Bean
	UpstreamFiles upstreamFiles(UpstreamFileProperties properties, UpstreamDefinitions definitions,
			UpstreamSources sources) {
		return new UpstreamFiles(properties, definitions, sources);
	}

	// the JdbcTemplate exists with the sqlite and postgresql history stores, after Flyway
	// has migrated; the files are read first, so that a name a file has taken since is
	// reported against the API's stored definition, not the file
	@Bean
	ApiUpstreams apiUpstreams(ObjectProvider<JdbcTemplate> jdbcTemplate, UpstreamDefinitions definitions,
			UpstreamSources sources, UpstreamFiles upstreamFiles, Clock clock) {
		JdbcTemplate jdbc = jdbcTemplate.getIfAvailable();
		ApiUpstreamStore store = (jdbc != null) ? new JdbcApiUpstreamStore(jdbc) : new InMemoryApiUpstreamStore();
		return new ApiUpstreams(store, definitions, sources, clock);
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnProperty(name = "closewatch.cluster.enabled", havingValue = "true")
	ApiUpstreamsRefresh apiUpstreamsRefresh(ApiUpstreams apiUpstreams, Environment environment) {
		Duration interval = Binder.get(environment)
			.bind("closewatch.cluster.publish-interval", Duration.class)
			.orElse(Duration.ofSeconds(1));
		return new ApiUpstreamsRefresh(apiUpstreams, interval);
	}

}
