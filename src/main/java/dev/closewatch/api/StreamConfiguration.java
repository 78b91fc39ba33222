package dev.closewatch.api;

import dev.closewatch.history.CloseEventHistory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.TaskScheduler;

/**
 * Provides the {@link CloseEventStream} behind {@code /api/v1/close-events/stream}.
 */
@Configuration(proxyBeanMethods = false)
class StreamConfiguration {

	@Bean
	CloseEventStream closeEventStream(CloseEventHistory history, StreamProperties properties,
			TaskScheduler closewatchScheduler, CloseEventJsonCache closeEventJsonCache) {
		return new CloseEventStream(history, properties, closewatchScheduler, closeEventJsonCache::json);
	}

}
