package dev.closewatch.metrics;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import dev.closewatch.upstream.UpstreamConnected;
import dev.closewatch.upstream.Upstreams;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusOutputFormat;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusScrapeEndpoint;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static dev.closewatch.history.TestCloseEvents.closeEvent;
import static org.assertj.core.api.Assertions.assertThat;

class UpstreamsScrapeEndpointTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(MetricsAutoConfiguration.class, PrometheusMetricsExportAutoConfiguration.class))
		.withUserConfiguration(MetricsConfiguration.class, ScrapeEndpointConfiguration.class)
		.withBean(Upstreams.class, () -> new TestUpstreams("prices", "chat"))
		// a family that is not per-upstream, written by Boot's writer, as the history's
		// are
		.withBean("historyMeters", MeterBinder.class,
				() -> (registry) -> Counter.builder("closewatch.history.evictions").register(registry))
		.withBean(Clock.class, Clock::systemUTC)
		.withPropertyValues("management.endpoints.web.exposure.include=prometheus");

	@Test
	void replacesBootsEndpointAndScrapesTheSameFamiliesInEveryFormat() {
		this.contextRunner.run((context) -> {
			context.publishEvent(new UpstreamConnected("prices", Instant.now(), 1, Duration.ofMillis(20)));
			context.publishEvent(closeEvent(1).upstream("chat").code(1011).build());
			PrometheusScrapeEndpoint boots = new PrometheusScrapeEndpoint(context.getBean(PrometheusRegistry.class),
					null);

			assertThat(context).getBean(PrometheusScrapeEndpoint.class).isInstanceOf(UpstreamsScrapeEndpoint.class);
			PrometheusScrapeEndpoint ours = context.getBean(PrometheusScrapeEndpoint.class);
			String text = body(ours, PrometheusOutputFormat.CONTENT_TYPE_004);
			assertThat(families(text))
				.containsExactlyInAnyOrderElementsOf(families(body(boots, PrometheusOutputFormat.CONTENT_TYPE_004)));
			assertThat(text)
				.contains("closewatch_upstream_closes_total{clean=\"true\",code=\"1011\",upstream=\"chat\"} 1.0")
				.contains("# TYPE closewatch_history_evictions_total counter");
			assertThat(body(ours, PrometheusOutputFormat.CONTENT_TYPE_OPENMETRICS_100))
				.isEqualTo(body(boots, PrometheusOutputFormat.CONTENT_TYPE_OPENMETRICS_100));
		});
	}

	@Test
	void scrapesOnlyTheNamesAsked() {
		this.contextRunner.run((context) -> {
			String text = new String(context.getBean(PrometheusScrapeEndpoint.class)
				.scrape(PrometheusOutputFormat.CONTENT_TYPE_004, Set.of("closewatch_upstream_connected"))
				.getBody(), StandardCharsets.UTF_8);

			assertThat(families(text)).singleElement().asString().startsWith("# HELP closewatch_upstream_connected ");
		});
	}

	private static String body(PrometheusScrapeEndpoint endpoint, PrometheusOutputFormat format) {
		return new String(endpoint.scrape(format, null).getBody(), StandardCharsets.UTF_8);
	}

	// one entry per family: its HELP and TYPE lines and its samples
	private static List<String> families(String text) {
		return Arrays.stream(text.split("(?m)^(?=# HELP )")).filter((family) -> !family.isBlank()).toList();
	}

}
