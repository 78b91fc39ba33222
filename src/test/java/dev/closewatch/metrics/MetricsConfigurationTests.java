package dev.closewatch.metrics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import dev.closewatch.upstream.UpstreamConnected;
import dev.closewatch.upstream.Upstreams;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
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
		.withBean(Clock.class, Clock::systemUTC);

	@Test
	void registersThePerUpstreamCollectorWithThePrometheusRegistryAndCountsPublishedEvents() {
		this.contextRunner.withBean(PrometheusRegistry.class, PrometheusRegistry::new).run((context) -> {
			context.publishEvent(new UpstreamConnected("prices", Instant.EPOCH, 1, Duration.ofMillis(20)));
			context.publishEvent(closeEvent(1).build());

			MetricSnapshots snapshots = context.getBean(PrometheusRegistry.class).scrape();
			assertThat(value(snapshots, "closewatch_upstream_closes")).isEqualTo(1);
			assertThat(value(snapshots, "closewatch_upstream_connected")).isZero();
			assertThat(snapshots.stream()
				.filter((snapshot) -> snapshot.getMetadata()
					.getPrometheusName()
					.equals("closewatch_upstream_connect_attempts"))
				.flatMap((snapshot) -> snapshot.getDataPoints().stream())
				.map((point) -> point.getLabels().get("outcome") + "=" + ((CounterDataPointSnapshot) point).getValue()))
				.containsExactlyInAnyOrder("failure=0.0", "success=1.0");
		});
	}

	@Test
	void startsWithoutAPrometheusRegistry() {
		this.contextRunner
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(UpstreamMetricsCollector.class));
	}

	private static double value(MetricSnapshots snapshots, String name) {
		return snapshots.stream()
			.filter((snapshot) -> snapshot.getMetadata().getPrometheusName().equals(name))
			.flatMap((snapshot) -> snapshot.getDataPoints().stream())
			.mapToDouble((point) -> (point instanceof CounterDataPointSnapshot counter) ? counter.getValue()
					: ((GaugeDataPointSnapshot) point).getValue())
			.sum();
	}

}
