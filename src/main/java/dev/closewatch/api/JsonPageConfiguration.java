package dev.closewatch.api;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.converter.HttpMessageConverters;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Puts {@link CloseEventPageJsonConverter} in front of the default JSON converter.
 */
@Configuration(proxyBeanMethods = false)
class JsonPageConfiguration implements WebMvcConfigurer {

	private final JsonMapper jsonMapper;

	JsonPageConfiguration(JsonMapper jsonMapper) {
		this.jsonMapper = jsonMapper;
	}

	@Override
	public void configureMessageConverters(HttpMessageConverters.ServerBuilder builder) {
		builder.addCustomConverter(new CloseEventPageJsonConverter(this.jsonMapper));
	}

}
