package dev.closewatch.metrics;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import dev.closewatch.upstream.PingMeasured;
import dev.closewatch.upstream.UpstreamConnected;
import dev.closewatch.upstream.UpstreamState;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Exemplar;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot.SummaryDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Unit;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.closewatch.history.TestCloseEvents.closeEvent;
import static org.assertj.core.api.Assertions.assertThat;

class PrometheusTextWriterTests {

	@Test
	void writesCountersGaugesAndSummariesByteForByteAsTheLibraryDoes() throws IOException {
		MetricSnapshots snapshots = MetricSnapshots.of(
				CounterSnapshot.builder()
					.name("closewatch_upstream_closes")
					.help("Ended \\ attempts\nby \"code\" ✓")
					.dataPoint(counter(3, Labels.of("clean", "true", "code", "1000", "upstream", "a\"b\\c\nd")))
					.dataPoint(counter(0.1, Labels.of("clean", "false", "code", "1006", "upstream", "ünïcødé ✓ 価格")))
					.dataPoint(counter(12345678901.0, Labels.of("clean", "true", "code", "4000", "upstream", "x")))
					.build(),
				GaugeSnapshot.builder()
					.name("closewatch_upstream_values")
					.help("Every kind of number")
					.dataPoint(gauge(Double.NaN, Labels.of("upstream", "a")))
					.dataPoint(gauge(Double.POSITIVE_INFINITY, Labels.of("upstream", "b")))
					.dataPoint(gauge(Double.NEGATIVE_INFINITY, Labels.of("upstream", "c")))
					.dataPoint(gauge(1e-7, Labels.of("upstream", "d")))
					.dataPoint(gauge(-0.0, Labels.of("upstream", "e")))
					.dataPoint(gauge(1e22, Labels.of("upstream", "f")))
					.dataPoint(gauge(-42, Labels.of("upstream", "g")))
					.build(),
				GaugeSnapshot.builder()
					.name("closewatch_upstream_unlabelled")
					.dataPoint(gauge(1, Labels.EMPTY))
					.build(),
				GaugeSnapshot.builder().name("closewatch_upstream_empty").help("No points").build(),
				SummarySnapshot.builder()
					.name("closewatch_upstream_handshake_seconds")
					.help("Time to open")
					.dataPoint(new SummaryDataPointSnapshot(5, 0.25, Quantiles.EMPTY, Labels.of("upstream", "a"),
							Exemplars.EMPTY, 0))
					.dataPoint(new SummaryDataPointSnapshot(0, 0, Quantiles.EMPTY, Labels.of("upstream", "b"),
							Exemplars.EMPTY, 0))
					.build());
		assertThat(snapshots).allMatch(PrometheusTextWriter::supports);

		assertThat(direct(snapshots)).isEqualTo(library(snapshots));
	}

	@ParameterizedTest(name = "per-upstream timers: {0}")
	@ValueSource(booleans = { false, true })
	void writesTheCollectorsFamiliesByteForByteAsTheLibraryDoes(boolean perUpstreamTimers) throws IOException {
		TestUpstreams upstreams = new TestUpstreams("prices", "chat \"eu\"", "trades");
		upstreams.set("prices", UpstreamState.OPEN, 42);
		upstreams.set("trades", UpstreamState.WAITING_TO_RECONNECT, 0);
		CloseEventMetrics metrics = new CloseEventMetrics(upstreams, Clock.systemUTC(), new SimpleMeterRegistry(),
				perUpstreamTimers);
		metrics.onConnected(new UpstreamConnected("prices", Instant.now(), 1, Duration.ofMillis(20)));
		metrics.onPing(new PingMeasured("prices", Duration.ofMillis(3)));
		metrics.onClose(closeEvent(1).upstream("chat \"eu\"").code(1011).build());
		metrics.onClose(closeEvent(2).upstream("trades").handshakeFailure().build());

		MetricSnapshots snapshots = metrics.collector().collect();

		assertThat(snapshots.size()).isEqualTo(perUpstreamTimers ? 16 : 7);
		assertThat(snapshots).allMatch(PrometheusTextWriter::supports);
		assertThat(direct(snapshots)).isEqualTo(library(snapshots)).contains("upstream=\"chat \\\"eu\\\"\"");
	}

	@Test
	void leavesToTheLibraryWhatItWouldWriteDifferently() {
		Labels labels = Labels.of("upstream", "a");
		assertThat(PrometheusTextWriter.supports(CounterSnapshot.builder()
			.name("c")
			.dataPoint(CounterDataPointSnapshot.builder()
				.value(1)
				.labels(labels)
				.exemplar(Exemplar.builder().value(1).build())
				.build())
			.build())).as("exemplar").isFalse();
		assertThat(PrometheusTextWriter.supports(CounterSnapshot.builder()
			.name("c")
			.dataPoint(CounterDataPointSnapshot.builder().value(1).labels(labels).createdTimestampMillis(1).build())
			.build())).as("created timestamp").isFalse();
		assertThat(PrometheusTextWriter.supports(GaugeSnapshot.builder()
			.name("g")
			.dataPoint(GaugeDataPointSnapshot.builder().value(1).labels(labels).scrapeTimestampMillis(1).build())
			.build())).as("scrape timestamp").isFalse();
		assertThat(PrometheusTextWriter.supports(GaugeSnapshot.builder().name("g_seconds").unit(Unit.SECONDS).build()))
			.as("unit")
			.isFalse();
		assertThat(PrometheusTextWriter
			.supports(GaugeSnapshot.builder().name("g").dataPoint(gauge(1, Labels.of("http.method", "GET"))).build()))
			.as("label name escaped")
			.isFalse();
		assertThat(PrometheusTextWriter.supports(SummarySnapshot.builder()
			.name("s")
			.dataPoint(SummaryDataPointSnapshot.builder()
				.count(1)
				.sum(1)
				.quantiles(Quantiles.of(new Quantile(0.5, 1)))
				.labels(labels)
				.build())
			.build())).as("quantiles").isFalse();
		assertThat(PrometheusTextWriter.supports(HistogramSnapshot.builder().name("h").build())).as("histogram")
			.isFalse();
	}

	private static String direct(MetricSnapshots snapshots) {
		PrometheusTextWriter writer = new PrometheusTextWriter(16);
		snapshots.forEach(writer::write);
		return writer.toString(StandardCharsets.UTF_8);
	}

	private static String library(MetricSnapshots snapshots) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ExpositionFormats.init().getPrometheusTextFormatWriter().write(out, snapshots);
		return out.toString(StandardCharsets.UTF_8);
	}

	private static CounterDataPointSnapshot counter(double value, Labels labels) {
		return CounterDataPointSnapshot.builder().value(value).labels(labels).build();
	}

	private static GaugeDataPointSnapshot gauge(double value, Labels labels) {
		return GaugeDataPointSnapshot.builder().value(value).labels(labels).build();
	}

}
