package dev.closewatch.history;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * Provides the {@link CloseEventStatistics} of {@code closewatch.history.store}.
 */
@Configuration(proxyBeanMethods = false)
class StatisticsConfiguration {

	@Configuration(proxyBeanMethods = false)
	@Conditional(HistoryConfiguration.MemoryStore.class)
	static class MemoryStoreStatistics {

		@Bean
		InMemoryCloseEventStatistics closeEventStatistics(InMemoryCloseEventHistory history, Clock clock) {
			return new InMemoryCloseEventStatistics(history, clock.instant(), clock);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Conditional(HistoryConfiguration.DurableStore.class)
	static class DurableStoreStatistics {

		@Bean
		JdbcCloseEventStatistics closeEventStatistics(JdbcCloseEventStore store, CloseEventWriter writer, Clock clock) {
			return new JdbcCloseEventStatistics(
					new JdbcAvailability(store.jdbc(), store.store(), writer.run().id(), clock),
					new JdbcSummary(store.jdbc(), store.store()));
		}

	}

}
