package dev.closewatch.metrics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import dev.closewatch.history.InMemoryCloseEventHistory;
import dev.closewatch.upstream.UpstreamConnected;
import dev.closewatch.upstream.Upstreams;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static dev.closewatch.history.TestCloseEvents.closeEvent;
import static org.assertj.core.api.Assertions.assertThat;

class MetricsConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
		.withUserConfiguration(MetricsConfiguration.class)
		.withBean(Upstreams.class, () -> new TestUpstreams("prices"))
		.withBean(InMemoryCloseEventHistory.class, () -> new InMemoryCloseEventHistory(10))
		.withBean(Clock.class, Clock::systemUTC);

	@Test
	void bindsToTheMeterRegistry() {
		this.contextRunner.run((context) -> assertThat(context.getBean(MeterRegistry.class)
			.get("closewatch.upstream.connected")
			.tag("upstream", "prices")
			.gauge()).isNotNull());
	}

	@Test
	void countsPublishedEvents() {
		this.contextRunner.run((context) -> {
			context.publishEvent(new UpstreamConnected("prices", Instant.EPOCH, 1, Duration.ofMillis(20)));
			context.publishEvent(closeEvent(1).build());

			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("closewatch.upstream.closes").counter().count()).isEqualTo(1);
			assertThat(registry.get("closewatch.upstream.connect.attempts").tag("outcome", "success").counter().count())
				.isEqualTo(1);
		});
	}

}
