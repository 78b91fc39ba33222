package dev.closewatch.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import io.prometheus.metrics.config.PrometheusPropertiesLoader;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusOutputFormat;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusScrapeEndpoint;

/**
 * Boot's {@code /actuator/prometheus}, with the per-upstream families of the text format
 * 0.0.4 (what Prometheus asks for by default) written by {@link PrometheusTextWriter}
 * rather than by the library's writer; every other family, and every other format
 * (OpenMetrics, protobuf), exactly as Boot writes them.
 */
class UpstreamsScrapeEndpoint extends PrometheusScrapeEndpoint {

	private static final String FAMILIES = "closewatch_upstream_";

	// room for a little growth between scrapes, as Boot's endpoint keeps
	private static final int EXTRA = 1024;

	private final PrometheusRegistry registry;

	private final ExpositionFormats formats;

	private volatile int nextSize = 16 * 1024;

	UpstreamsScrapeEndpoint(PrometheusRegistry registry, @Nullable Properties properties) {
		super(registry, properties);
		this.registry = registry;
		this.formats = ExpositionFormats.init(
				(properties != null) ? PrometheusPropertiesLoader.load(properties) : PrometheusPropertiesLoader.load());
	}

	@Override
	@ReadOperation(producesFrom = PrometheusOutputFormat.class)
	public WebEndpointResponse<byte[]> scrape(PrometheusOutputFormat format, @Nullable Set<String> includedNames) {
		if (format != PrometheusOutputFormat.CONTENT_TYPE_004) {
			return super.scrape(format, includedNames);
		}
		MetricSnapshots snapshots = (includedNames != null) ? this.registry.scrape(includedNames::contains)
				: this.registry.scrape();
		List<MetricSnapshot> direct = new ArrayList<>();
		MetricSnapshots.Builder others = MetricSnapshots.builder();
		for (MetricSnapshot snapshot : snapshots) {
			if (snapshot.getMetadata().getPrometheusName().startsWith(FAMILIES)
					&& PrometheusTextWriter.supports(snapshot)) {
				direct.add(snapshot);
			}
			else {
				others.metricSnapshot(snapshot);
			}
		}
		PrometheusTextWriter writer = new PrometheusTextWriter(this.nextSize);
		try {
			this.formats.getPrometheusTextFormatWriter().write(writer, others.build());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		direct.forEach(writer::write);
		this.nextSize = writer.size() + EXTRA;
		return new WebEndpointResponse<>(writer.toByteArray(), format);
	}

}
