package dev.closewatch.metrics;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.closewatch.upstream.PingMeasured;
import dev.closewatch.upstream.ReconnectScheduled;
import dev.closewatch.upstream.UpstreamConnected;
import dev.closewatch.upstream.UpstreamState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static dev.closewatch.history.TestCloseEvents.closeEvent;
import static org.assertj.core.api.Assertions.assertThat;

class CloseEventMetricsTests {

	private final TestUpstreams upstreams = new TestUpstreams("chat", "prices");

	private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));

	// the timers per upstream, as with closewatch.metrics.per-upstream-timers: the
	// summaries
	// Micrometer timers made before the metrics budget (the default: see the tests at the
	// end)
	private final CloseEventMetrics metrics = new CloseEventMetrics(this.upstreams, this.clock,
			new SimpleMeterRegistry(), true);

	@Test
	void exportsEveryPerUpstreamSeriesAtZeroBeforeAnyEvent() {
		assertThat(scrape())
			.contains("closewatch_upstream_connected{upstream=\"chat\"} 0.0",
					"closewatch_upstream_messages_total{upstream=\"prices\"} 0.0",
					"closewatch_upstream_connect_attempts_total{outcome=\"success\",upstream=\"chat\"} 0.0",
					"closewatch_upstream_connect_attempts_total{outcome=\"failure\",upstream=\"prices\"} 0.0",
					"closewatch_upstream_handshake_seconds_count{upstream=\"chat\"} 0",
					"closewatch_upstream_handshake_seconds_sum{upstream=\"chat\"} 0.0",
					"closewatch_upstream_handshake_seconds_max{upstream=\"chat\"} 0.0",
					"closewatch_upstream_session_seconds_count{upstream=\"prices\"} 0",
					"closewatch_upstream_disconnected_seconds_count{upstream=\"prices\"} 0",
					"closewatch_upstream_ping_seconds_count{upstream=\"prices\"} 0",
					"closewatch_upstream_reconnect_attempt{upstream=\"chat\"} 0.0",
					"closewatch_upstream_reconnect_delay_seconds{upstream=\"chat\"} 0.0")
			.doesNotContain("closewatch_upstream_closes_total")
			.doesNotContain("closewatch_upstream_certificate_expiry_seconds");
	}

	@Test
	void exportsTheSameFamiliesTypesAndHelpAsTheMicrometerMetersDid() {
		this.metrics.onClose(closeEvent(1).build());

		assertThat(scrape().lines().filter((line) -> line.startsWith("# ")).toList()).containsExactlyInAnyOrder(
				"# HELP closewatch_upstream_closes_total Ended connection attempts by browser-view close code and wasClean",
				"# TYPE closewatch_upstream_closes_total counter",
				"# HELP closewatch_upstream_connect_attempts_total Connection attempts by outcome: opened, or failed during the handshake",
				"# TYPE closewatch_upstream_connect_attempts_total counter",
				"# HELP closewatch_upstream_connected Whether the upstream's WebSocket is open (1) or not (0)",
				"# TYPE closewatch_upstream_connected gauge",
				"# HELP closewatch_upstream_info Always 1: the upstream's labels, for joins such as closewatch_upstream_connected * on (upstream) group_left (team) closewatch_upstream_info",
				"# TYPE closewatch_upstream_info gauge",
				"# HELP closewatch_upstream_messages_total Data messages received from the upstream over all sessions",
				"# TYPE closewatch_upstream_messages_total counter",
				"# HELP closewatch_upstream_state The upstream's current connection state, always 1: one series per upstream, its state label the state",
				"# TYPE closewatch_upstream_state gauge",
				"# HELP closewatch_upstream_reconnect_attempt The upstream's current attempt number since the last reset",
				"# TYPE closewatch_upstream_reconnect_attempt gauge",
				"# HELP closewatch_upstream_reconnect_delay_seconds The delay before the upstream's next attempt, 0 while connected",
				"# TYPE closewatch_upstream_reconnect_delay_seconds gauge",
				"# HELP closewatch_upstream_handshake_seconds Time from starting to connect to the completed WebSocket upgrade",
				"# TYPE closewatch_upstream_handshake_seconds summary",
				"# HELP closewatch_upstream_handshake_seconds_max Time from starting to connect to the completed WebSocket upgrade",
				"# TYPE closewatch_upstream_handshake_seconds_max gauge",
				"# HELP closewatch_upstream_session_seconds How long WebSocket sessions stayed open, from open to close",
				"# TYPE closewatch_upstream_session_seconds summary",
				"# HELP closewatch_upstream_session_seconds_max How long WebSocket sessions stayed open, from open to close",
				"# TYPE closewatch_upstream_session_seconds_max gauge",
				"# HELP closewatch_upstream_disconnected_seconds How long the upstream stayed disconnected, from a close to the next open",
				"# TYPE closewatch_upstream_disconnected_seconds summary",
				"# HELP closewatch_upstream_disconnected_seconds_max How long the upstream stayed disconnected, from a close to the next open",
				"# TYPE closewatch_upstream_disconnected_seconds_max gauge",
				"# HELP closewatch_upstream_ping_seconds Round trip of closewatch's keep-alive pings, from ping to pong",
				"# TYPE closewatch_upstream_ping_seconds summary",
				"# HELP closewatch_upstream_ping_seconds_max Round trip of closewatch's keep-alive pings, from ping to pong",
				"# TYPE closewatch_upstream_ping_seconds_max gauge");
	}

	@Test
	void countsEachCloseByUpstreamCodeAndClean() {
		this.metrics.onClose(closeEvent(1).upstream("prices").code(1000).build());
		this.metrics.onClose(closeEvent(2).upstream("prices").code(1000).build());
		this.metrics.onClose(closeEvent(3).upstream("prices").code(1006).wasClean(false).build());
		this.metrics.onClose(closeEvent(4).upstream("chat").code(1000).build());

		assertThat(series("closewatch_upstream_closes_total")).containsExactly(
				"{clean=\"false\",code=\"1006\",upstream=\"prices\"} 1.0",
				"{clean=\"true\",code=\"1000\",upstream=\"chat\"} 1.0",
				"{clean=\"true\",code=\"1000\",upstream=\"prices\"} 2.0");
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
	void labelsCodesOutsideOneThousandToFourThousandNineHundredNinetyNineAsOther(int code, String label) {
		this.metrics.onClose(closeEvent(1).code(code).build());

		assertThat(series("closewatch_upstream_closes_total"))
			.containsExactly("{clean=\"true\",code=\"" + label + "\",upstream=\"prices\"} 1.0");
	}

	@Test
	void keepsCleanAndUncleanOtherCodesApart() {
		this.metrics.onClose(closeEvent(1).code(999).build());
		this.metrics.onClose(closeEvent(2).code(5000).wasClean(false).build());

		assertThat(series("closewatch_upstream_closes_total")).containsExactly(
				"{clean=\"false\",code=\"other\",upstream=\"prices\"} 1.0",
				"{clean=\"true\",code=\"other\",upstream=\"prices\"} 1.0");
	}

	@Test
	void countsHandshakeFailureAsFailedAttemptWithoutSessionTime() {
		this.metrics.onClose(closeEvent(1).upstream("chat").handshakeFailure().build());

		assertThat(scrape()).contains(
				"closewatch_upstream_connect_attempts_total{outcome=\"failure\",upstream=\"chat\"} 1.0",
				"closewatch_upstream_connect_attempts_total{outcome=\"success\",upstream=\"chat\"} 0.0",
				"closewatch_upstream_closes_total{clean=\"false\",code=\"1006\",upstream=\"chat\"} 1.0",
				"closewatch_upstream_session_seconds_count{upstream=\"chat\"} 0");
	}

	@Test
	void countsConnectedAsSuccessfulAttemptAndTimesTheHandshake() {
		this.metrics.onConnected(new UpstreamConnected("chat", this.clock.instant(), 1, Duration.ofMillis(150)));

		assertThat(scrape()).contains(
				"closewatch_upstream_connect_attempts_total{outcome=\"success\",upstream=\"chat\"} 1.0",
				"closewatch_upstream_connect_attempts_total{outcome=\"failure\",upstream=\"chat\"} 0.0",
				"closewatch_upstream_handshake_seconds_count{upstream=\"chat\"} 1",
				"closewatch_upstream_handshake_seconds_sum{upstream=\"chat\"} 0.15",
				"closewatch_upstream_handshake_seconds_max{upstream=\"chat\"} 0.15");
	}

	@Test
	void timesSessionsThatOpened() {
		this.metrics.onClose(closeEvent(1).upstream("prices").sessionOf(Duration.ofSeconds(90)).build());
		this.metrics.onClose(closeEvent(2).upstream("prices").sessionOf(Duration.ofSeconds(30)).build());

		assertThat(scrape()).contains("closewatch_upstream_session_seconds_count{upstream=\"prices\"} 2",
				"closewatch_upstream_session_seconds_sum{upstream=\"prices\"} 120.0",
				"closewatch_upstream_session_seconds_max{upstream=\"prices\"} 90.0",
				"closewatch_upstream_connect_attempts_total{outcome=\"failure\",upstream=\"prices\"} 0.0");
	}

	@Test
	void forgetsTheMaximumTwoMinutesAfterItWasRecordedLikeMicrometer() {
		this.metrics.onClose(closeEvent(1).upstream("prices").sessionOf(Duration.ofSeconds(90)).build());
		this.clock.add(Duration.ofSeconds(50));
		this.metrics.onClose(closeEvent(2).upstream("prices").sessionOf(Duration.ofSeconds(30)).build());

		assertThat(max("session", "prices")).isEqualTo(90.0);
		this.clock.add(Duration.ofSeconds(75));
		assertThat(max("session", "prices")).isEqualTo(30.0);
		this.clock.add(Duration.ofSeconds(120));
		assertThat(max("session", "prices")).isZero();
	}

	@Test
	void reportsConnectedOnlyWhileTheUpstreamIsOpen() {
		this.upstreams.set("chat", UpstreamState.OPEN, 0);

		assertThat(series("closewatch_upstream_connected")).containsExactly("{upstream=\"chat\"} 1.0",
				"{upstream=\"prices\"} 0.0");

		this.upstreams.set("chat", UpstreamState.CLOSING, 0);

		assertThat(series("closewatch_upstream_connected")).containsExactly("{upstream=\"chat\"} 0.0",
				"{upstream=\"prices\"} 0.0");
	}

	@Test
	void readsMessagesReceivedFromTheUpstreamStatus() {
		this.upstreams.set("prices", UpstreamState.OPEN, 1234);

		assertThat(scrape()).contains("closewatch_upstream_messages_total{upstream=\"prices\"} 1234.0");
	}

	@Test
	void labelsOnlyUpstreamCodeCleanOutcomeAndState() {
		this.metrics.onClose(closeEvent(1).reason("secret reason").handshakeFailure().build());
		this.metrics.onClose(closeEvent(2).reason("another reason").build());
		this.metrics.onConnected(new UpstreamConnected("chat", Instant.EPOCH, 1, Duration.ofMillis(5)));

		Set<String> labelNames = new TreeSet<>();
		Matcher matcher = Pattern.compile("[{,]([a-z_]+)=\"").matcher(scrape());
		while (matcher.find()) {
			labelNames.add(matcher.group(1));
		}
		assertThat(labelNames).containsExactly("clean", "code", "outcome", "state", "upstream");
		assertThat(scrape()).doesNotContain("secret reason", "ws://");
	}

	@Test
	void showsTheCurrentStateAsOneSeriesPerUpstreamLikeKubeStateMetricsWaitingReason() {
		this.upstreams.set("chat", UpstreamState.WAITING_TO_RECONNECT, 0);
		this.upstreams.set("prices", UpstreamState.OPEN, 0);

		assertThat(series("closewatch_upstream_state")).containsExactly("{state=\"open\",upstream=\"prices\"} 1.0",
				"{state=\"waiting_to_reconnect\",upstream=\"chat\"} 1.0");

		this.upstreams.set("chat", UpstreamState.CONNECTING, 0);

		assertThat(series("closewatch_upstream_state")).containsExactly("{state=\"connecting\",upstream=\"chat\"} 1.0",
				"{state=\"open\",upstream=\"prices\"} 1.0");
	}

	@Test
	void tracksTheReconnectLoop() {
		this.metrics.onReconnectScheduled(new ReconnectScheduled("chat", 3, Duration.ofMillis(2500), Instant.EPOCH));

		assertThat(scrape()).contains("closewatch_upstream_reconnect_delay_seconds{upstream=\"chat\"} 2.5");

		this.metrics
			.onConnected(new UpstreamConnected("chat", Instant.EPOCH, 3, Duration.ofMillis(5), Duration.ofSeconds(7)));
		this.metrics.onPing(new PingMeasured("chat", Duration.ofMillis(12)));

		assertThat(scrape()).contains("closewatch_upstream_reconnect_delay_seconds{upstream=\"chat\"} 0.0",
				"closewatch_upstream_disconnected_seconds_sum{upstream=\"chat\"} 7.0",
				"closewatch_upstream_ping_seconds_count{upstream=\"chat\"} 1",
				"closewatch_upstream_ping_seconds_sum{upstream=\"chat\"} 0.012");
	}

	@Test
	void exportsCertificateExpiryOnlyForSecureUpstreams() {
		TestUpstreams mixed = new TestUpstreams("chat", "tls");
		mixed.setUrl("tls", "wss://127.0.0.1/tls");
		CloseEventMetrics metrics = new CloseEventMetrics(mixed, this.clock, new SimpleMeterRegistry(), false);
		String before = scrape(metrics);
		metrics.onConnected(new UpstreamConnected("tls", this.clock.instant(), 1, Duration.ofMillis(5), null,
				this.clock.instant().plus(Duration.ofDays(2))));

		assertThat(before).contains("closewatch_upstream_certificate_expiry_seconds{upstream=\"tls\"} NaN");
		assertThat(series(scrape(metrics), "closewatch_upstream_certificate_expiry_seconds"))
			.containsExactly("{upstream=\"tls\"} 172800.0");
	}

	@Test
	void ignoresEventsOfUnknownUpstreams() {
		this.metrics.onClose(closeEvent(1).upstream("gone").build());
		this.metrics.onConnected(new UpstreamConnected("gone", Instant.EPOCH, 1, Duration.ofMillis(5)));

		assertThat(scrape()).doesNotContain("gone");
	}

	@Test
	void exportsTwentySeriesPerPlainUpstreamWithPerUpstreamTimers() {
		assertThat(samples(scrape())).hasSize(2 * 20);
	}

	@Test
	void exportsSevenSeriesPerPlainAndEightPerSecureUpstreamByDefault() {
		TestUpstreams mixed = new TestUpstreams("chat", "prices", "tls");
		mixed.setUrl("tls", "wss://127.0.0.1/tls");
		CloseEventMetrics metrics = new CloseEventMetrics(mixed, this.clock, new SimpleMeterRegistry(), false);

		List<String> samples = samples(scrape(metrics));

		assertThat(samples).filteredOn((line) -> line.contains("upstream=\"chat\"")).hasSize(7);
		assertThat(samples).filteredOn((line) -> line.contains("upstream=\"tls\"")).hasSize(8);
		assertThat(samples).hasSize(7 + 7 + 8);
		assertThat(scrape(metrics)).doesNotContain("_seconds_count", "closewatch_upstream_reconnect_delay_seconds");
	}

	@Test
	void addsOneSeriesPerCloseCodeAndCleanFlagAnUpstreamHasSeen() {
		CloseEventMetrics metrics = new CloseEventMetrics(this.upstreams, this.clock, new SimpleMeterRegistry(), false);
		for (int i = 0; i < 10; i++) {
			metrics.onClose(closeEvent(i).upstream("chat").code(1000).build());
		}
		metrics.onClose(closeEvent(10).upstream("chat").code(1006).wasClean(false).build());

		assertThat(samples(scrape(metrics))).filteredOn((line) -> line.contains("upstream=\"chat\"")).hasSize(7 + 2);
	}

	@Test
	void timesEveryUpstreamInOneHistogramPerTimerByDefault() {
		PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
		CloseEventMetrics metrics = new CloseEventMetrics(this.upstreams, this.clock, registry, false);
		registry.getPrometheusRegistry().register(metrics.collector());

		metrics.onClose(closeEvent(1).upstream("prices").sessionOf(Duration.ofSeconds(90)).build());
		metrics.onClose(closeEvent(2).upstream("chat").sessionOf(Duration.ofSeconds(20)).build());
		metrics.onConnected(
				new UpstreamConnected("chat", this.clock.instant(), 2, Duration.ofMillis(30), Duration.ofSeconds(3)));
		metrics.onPing(new PingMeasured("prices", Duration.ofMillis(4)));
		String scrape = registry.scrape();

		assertThat(scrape).contains("# TYPE closewatch_upstream_session_seconds histogram",
				"closewatch_upstream_session_seconds_bucket{le=\"30.0\"} 1",
				"closewatch_upstream_session_seconds_bucket{le=\"300.0\"} 2",
				"closewatch_upstream_session_seconds_count 2", "closewatch_upstream_session_seconds_sum 110.0",
				"closewatch_upstream_session_seconds_max 90.0",
				"closewatch_upstream_handshake_seconds_bucket{le=\"0.05\"} 1",
				"closewatch_upstream_disconnected_seconds_bucket{le=\"5.0\"} 1",
				"closewatch_upstream_ping_seconds_bucket{le=\"0.005\"} 1");
		assertThat(scrape.lines().filter((line) -> line.startsWith("closewatch_upstream_session_seconds")))
			.noneMatch((line) -> line.contains("upstream="));
		assertThat(scrape.lines()
			.filter((line) -> line.matches("closewatch_upstream_(handshake|session|disconnected|ping)_seconds.*")))
			.hasSizeLessThan(70);
	}

	private static List<String> samples(String scrape) {
		return scrape.lines().filter((line) -> !line.startsWith("#")).toList();
	}

	private double max(String timer, String upstream) {
		List<String> values = series("closewatch_upstream_" + timer + "_seconds_max");
		String prefix = "{upstream=\"" + upstream + "\"} ";
		return values.stream()
			.filter((line) -> line.startsWith(prefix))
			.mapToDouble((line) -> Double.parseDouble(line.substring(prefix.length())))
			.findFirst()
			.orElseThrow();
	}

	private List<String> series(String name) {
		return series(scrape(), name);
	}

	private static List<String> series(String scrape, String name) {
		return scrape.lines()
			.filter((line) -> line.startsWith(name + "{"))
			.map((line) -> line.substring(name.length()))
			.toList();
	}

	private String scrape() {
		return scrape(this.metrics);
	}

	private static String scrape(CloseEventMetrics metrics) {
		PrometheusRegistry registry = new PrometheusRegistry();
		registry.register(metrics.collector());
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try {
			PrometheusTextFormatWriter.create().write(out, registry.scrape());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		return out.toString(StandardCharsets.UTF_8);
	}

}
