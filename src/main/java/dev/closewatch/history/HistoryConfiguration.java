package dev.closewatch.history;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Provides the bounded close event history and records every published close event into
 * it.
 */
@Configuration(proxyBeanMethods = false)
class HistoryConfiguration {

	@Bean
	InMemoryCloseEventHistory closeEventHistory(HistoryProperties properties) {
		return new InMemoryCloseEventHistory(properties.capacity());
	}

	@Bean
	CloseEventRecorder closeEventRecorder(CloseEventHistory history) {
		return new CloseEventRecorder(history);
	}

}
