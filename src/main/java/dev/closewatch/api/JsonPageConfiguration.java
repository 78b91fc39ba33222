package dev.closewatch.api;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.converter.HttpMessageConverters;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Puts {@link CloseEventPageJsonConverter} in front of the default JSON converter, and
 * provides the {@link CloseEventJsonCache} it writes from.
 */
@Configuration(proxyBeanMethods = false)
class JsonPageConfiguration implements WebMvcConfigurer {

	private final JsonMapper jsonMapper;

	private final CloseEventJsonCache cache;

	JsonPageConfiguration(JsonMapper jsonMapper) {
		this.jsonMapper = jsonMapper;
		this.cache = new CloseEventJsonCache(jsonMapper::writeValueAsBytes);
	}

	/**
	 * The cache the list is written from, for the live stream to write from too: an event
	 * is serialised once, however many clients poll the list or follow the stream.
	 * @return the cache
	 */
	@Bean
	CloseEventJsonCache closeEventJsonCache() {
		return this.cache;
	}

	@Override
	public void configureMessageConverters(HttpMessageConverters.ServerBuilder builder) {
		builder.addCustomConverter(new CloseEventPageJsonConverter(this.jsonMapper, this.cache));
	}

}
