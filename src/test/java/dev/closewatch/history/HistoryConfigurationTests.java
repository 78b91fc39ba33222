package dev.closewatch.history;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static dev.closewatch.history.TestCloseEvents.closeEvent;
import static org.assertj.core.api.Assertions.assertThat;

class HistoryConfigurationTests {

	// the memory store: the durable ones need Boot's JDBC and Flyway auto-configuration
	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withUserConfiguration(PropertiesConfiguration.class, HistoryConfiguration.class)
		.withPropertyValues("closewatch.history.store=memory");

	@Test
	void keepsTenThousandEventsByDefault() {
		this.contextRunner
			.run((context) -> assertThat(context.getBean(HistoryProperties.class).capacity()).isEqualTo(10_000));
	}

	@Test
	void bindsCapacity() {
		this.contextRunner.withPropertyValues("closewatch.history.capacity=2").run((context) -> {
			CloseEventHistory history = context.getBean(CloseEventHistory.class);
			for (long id = 1; id <= 3; id++) {
				history.record(closeEvent(id).build());
			}

			assertThat(context.getBean(InMemoryCloseEventHistory.class).evictions()).isEqualTo(1);
		});
	}

	@Test
	void failsStartupWhenCapacityIsNotPositive() {
		this.contextRunner.withPropertyValues("closewatch.history.capacity=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("closewatch.history.capacity"));
	}

	@Test
	void recordsPublishedCloseEvents() {
		this.contextRunner.run((context) -> {
			context.publishEvent(closeEvent(7).build());

			assertThat(context.getBean(InMemoryCloseEventHistory.class).size()).isEqualTo(1);
		});
	}

	@Test
	void bindsTheMemoryStoresMetersToTheMeterRegistry() {
		this.contextRunner.run((context) -> {
			SimpleMeterRegistry registry = new SimpleMeterRegistry();
			context.getBean(HistoryMetrics.class).bindTo(registry);

			assertThat(registry.get("closewatch.history.evictions").tag("reason", "capacity").functionCounter())
				.isNotNull();
			assertThat(registry.get("closewatch.history.dropped").functionCounter().count()).isZero();
		});
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(HistoryProperties.class)
	static class PropertiesConfiguration {

	}

}
