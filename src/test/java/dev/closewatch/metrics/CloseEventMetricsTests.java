package dev.closewatch.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.closewatch.history.InMemoryCloseEventHistory;
import dev.closewatch.upstream.UpstreamConnected;
import dev.closewatch.upstream.UpstreamState;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static dev.closewatch.history.TestCloseEvents.closeEvent;
import static org.assertj.core.api.Assertions.assertThat;

class CloseEventMetricsTests {

	private final TestUpstreams upstreams = new TestUpstreams("chat", "prices");

	private final InMemoryCloseEventHistory history = new InMemoryCloseEventHistory(2);

	private final CloseEventMetrics metrics = new CloseEventMetrics(this.upstreams, this.history);

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	@BeforeEach
	void bind() {
		this.metrics.bindTo(this.registry);
	}

	@Test
	void registersEveryPerUpstreamSeriesAtZeroWhenBound() {
		for (String upstream : new String[] { "chat", "prices" }) {
			assertThat(this.registry.get("closewatch.upstream.connected").tag("upstream", upstream).gauge().value())
				.isZero();
			assertThat(this.registry.get("closewatch.upstream.messages")
				.tag("upstream", upstream)
				.functionCounter()
				.count()).isZero();
			assertThat(attempts(upstream, "success")).isZero();
			assertThat(attempts(upstream, "failure")).isZero();
			assertThat(this.registry.get("closewatch.upstream.handshake").tag("upstream", upstream).timer().count())
				.isZero();
			assertThat(this.registry.get("closewatch.upstream.session").tag("upstream", upstream).timer().count())
				.isZero();
		}
		assertThat(this.registry.get("closewatch.history.evictions").functionCounter().count()).isZero();
	}

	@Test
	void countsEachCloseByUpstreamCodeAndClean() {
		this.metrics.onClose(closeEvent(1).upstream("prices").code(1000).build());
		this.metrics.onClose(closeEvent(2).upstream("prices").code(1000).build());
		this.metrics.onClose(closeEvent(3).upstream("prices").code(1006).wasClean(false).build());
		this.metrics.onClose(closeEvent(4).upstream("chat").code(1000).build());

		assertThat(closes("prices", "1000", "true")).isEqualTo(2);
		assertThat(closes("prices", "1006", "false")).isEqualTo(1);
		assertThat(closes("chat", "1000", "true")).isEqualTo(1);
		assertThat(this.registry.get("closewatch.upstream.closes").counters()).hasSize(3);
	}

	@ParameterizedTest(name = "{0} -> {1}")
	@CsvSource(textBlock = """
			0,     other
			999,   other
			1000,  1000
			1015,  1015
			3000,  3000
			4999,  4999
			5000,  other
			65535, other
			""")
	void tagsCodesOutsideOneThousandToFourThousandNineHundredNinetyNineAsOther(int code, String tag) {
		this.metrics.onClose(closeEvent(1).code(code).build());

		assertThat(closes("prices", tag, "true")).isEqualTo(1);
	}

	@Test
	void countsHandshakeFailureAsFailedAttemptWithoutSessionTime() {
		this.metrics.onClose(closeEvent(1).upstream("chat").handshakeFailure().build());

		assertThat(attempts("chat", "failure")).isEqualTo(1);
		assertThat(attempts("chat", "success")).isZero();
		assertThat(closes("chat", "1006", "false")).isEqualTo(1);
		assertThat(this.registry.get("closewatch.upstream.session").tag("upstream", "chat").timer().count()).isZero();
	}

	@Test
	void countsConnectedAsSuccessfulAttemptAndTimesTheHandshake() {
		this.metrics.onConnected(
				new UpstreamConnected("chat", Instant.parse("2026-11-25T10:00:00Z"), 1, Duration.ofMillis(150)));

		assertThat(attempts("chat", "success")).isEqualTo(1);
		assertThat(attempts("chat", "failure")).isZero();
		assertThat(this.registry.get("closewatch.upstream.handshake")
			.tag("upstream", "chat")
			.timer()
			.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(150);
	}

	@Test
	void timesSessionsThatOpened() {
		this.metrics.onClose(closeEvent(1).upstream("prices").sessionOf(Duration.ofSeconds(90)).build());
		this.metrics.onClose(closeEvent(2).upstream("prices").sessionOf(Duration.ofSeconds(30)).build());

		assertThat(this.registry.get("closewatch.upstream.session").tag("upstream", "prices").timer())
			.satisfies((timer) -> {
				assertThat(timer.count()).isEqualTo(2);
				assertThat(timer.totalTime(TimeUnit.SECONDS)).isEqualTo(120);
			});
		assertThat(attempts("prices", "failure")).isZero();
	}

	@Test
	void reportsConnectedOnlyWhileTheUpstreamIsOpen() {
		this.upstreams.set("chat", UpstreamState.OPEN, 0);

		assertThat(connected("chat")).isEqualTo(1);
		assertThat(connected("prices")).isZero();

		this.upstreams.set("chat", UpstreamState.CLOSING, 0);

		assertThat(connected("chat")).isZero();
	}

	@Test
	void readsMessagesReceivedFromTheUpstreamStatus() {
		this.upstreams.set("prices", UpstreamState.OPEN, 1234);

		assertThat(
				this.registry.get("closewatch.upstream.messages").tag("upstream", "prices").functionCounter().count())
			.isEqualTo(1234);
	}

	@Test
	void readsEvictionsFromTheHistory() {
		for (long id = 1; id <= 5; id++) {
			this.history.record(closeEvent(id).build());
		}

		assertThat(this.registry.get("closewatch.history.evictions").functionCounter().count()).isEqualTo(3);
	}

	@Test
	void tagsOnlyUpstreamCodeCleanAndOutcome() {
		this.metrics.onClose(closeEvent(1).reason("secret reason").handshakeFailure().build());
		this.metrics.onClose(closeEvent(2).reason("another reason").build());
		this.metrics.onConnected(new UpstreamConnected("chat", Instant.EPOCH, 1, Duration.ofMillis(5)));

		Set<String> tagKeys = new HashSet<>();
		for (Meter meter : this.registry.getMeters()) {
			meter.getId().getTags().stream().map(Tag::getKey).forEach(tagKeys::add);
		}
		assertThat(tagKeys).containsExactlyInAnyOrder("upstream", "code", "clean", "outcome", "state");
	}

	@Test
	void showsTheCurrentStateAsOneOfSixSeries() {
		this.upstreams.set("chat", UpstreamState.WAITING_TO_RECONNECT, 0);

		assertThat(this.registry.get("closewatch.upstream.state").tags("upstream", "chat").gauges())
			.extracting((gauge) -> gauge.getId().getTag("state") + "=" + gauge.value())
			.containsExactlyInAnyOrder("connecting=0.0", "open=0.0", "closing=0.0", "waiting_to_reconnect=1.0",
					"gave_up=0.0", "stopped=0.0");
	}

	@Test
	void tracksTheReconnectLoop() {
		this.metrics.onReconnectScheduled(
				new dev.closewatch.upstream.ReconnectScheduled("chat", 3, Duration.ofMillis(2500), Instant.EPOCH));

		assertThat(this.registry.get("closewatch.upstream.reconnect.delay").tag("upstream", "chat").gauge().value())
			.isEqualTo(2.5);

		this.metrics
			.onConnected(new UpstreamConnected("chat", Instant.EPOCH, 3, Duration.ofMillis(5), Duration.ofSeconds(7)));
		this.metrics.onPing(new dev.closewatch.upstream.PingMeasured("chat", Duration.ofMillis(12)));

		assertThat(this.registry.get("closewatch.upstream.reconnect.delay").tag("upstream", "chat").gauge().value())
			.isZero();
		assertThat(this.registry.get("closewatch.upstream.disconnected")
			.tag("upstream", "chat")
			.timer()
			.totalTime(java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(7);
		assertThat(this.registry.get("closewatch.upstream.ping").tag("upstream", "chat").timer().count()).isEqualTo(1);
	}

	@Test
	void describesEveryMeter() {
		this.metrics.onClose(closeEvent(1).build());

		assertThat(this.registry.getMeters()).hasSize(34)
			.allSatisfy((meter) -> assertThat(meter.getId().getDescription()).isNotBlank());
	}

	@Test
	void updatesEveryBoundRegistryOnce() {
		SimpleMeterRegistry other = new SimpleMeterRegistry();
		this.metrics.bindTo(other);
		this.metrics.bindTo(this.registry);

		this.metrics.onClose(closeEvent(1).build());

		assertThat(closes("prices", "1000", "true")).isEqualTo(1);
		assertThat(other.get("closewatch.upstream.closes").counter().count()).isEqualTo(1);
	}

	@Test
	void rendersPrometheusNamesWithTotalAndSecondsSuffixes() {
		PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
		this.metrics.bindTo(prometheus);
		this.metrics.onClose(closeEvent(1).build());

		assertThat(prometheus.scrape()).contains(
				"closewatch_upstream_closes_total{clean=\"true\",code=\"1000\",upstream=\"prices\"} 1.0",
				"closewatch_upstream_connected{upstream=\"chat\"} 0.0",
				"closewatch_upstream_connect_attempts_total{outcome=\"failure\",upstream=\"chat\"} 0.0",
				"closewatch_upstream_handshake_seconds_count{upstream=\"chat\"} 0",
				"closewatch_upstream_session_seconds_count{upstream=\"prices\"} 1",
				"closewatch_upstream_messages_total{upstream=\"chat\"} 0.0", "closewatch_history_evictions_total 0.0");
	}

	private double closes(String upstream, String code, String clean) {
		return this.registry.get("closewatch.upstream.closes")
			.tags("upstream", upstream, "code", code, "clean", clean)
			.counter()
			.count();
	}

	private double attempts(String upstream, String outcome) {
		return this.registry.get("closewatch.upstream.connect.attempts")
			.tags("upstream", upstream, "outcome", outcome)
			.counter()
			.count();
	}

	private double connected(String upstream) {
		return this.registry.get("closewatch.upstream.connected").tag("upstream", upstream).gauge().value();
	}

}
