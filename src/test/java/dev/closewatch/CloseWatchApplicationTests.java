package dev.closewatch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.jayway.jsonpath.JsonPath;
import dev.closewatch.testserver.RawWebSocketServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole service against misbehaving upstreams on 127.0.0.1: closes reach the REST
 * history and a real Prometheus scrape, and the exposition format is pinned.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureMetrics
class CloseWatchApplicationTests {

	private static final RawWebSocketServer server = startServer();

	private final HttpClient http = HttpClient.newHttpClient();

	@Value("${local.server.port}")
	private int port;

	private static RawWebSocketServer startServer() {
		try {
			return new RawWebSocketServer().on("/clean", (peer) -> {
				peer.upgrade().text("hello").close(1000, "bye");
				peer.awaitClose();
				peer.fin();
			}).on("/unusual", (peer) -> {
				peer.upgrade().close(2999, "unassigned code");
				peer.awaitClose();
				peer.fin();
			})
				.on("/rejected",
						(peer) -> peer.respond("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n"))
				.on("/dropped", (peer) -> {
					peer.upgrade();
					peer.reset();
				});
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@DynamicPropertySource
	static void upstreams(DynamicPropertyRegistry registry) {
		for (String name : List.of("clean", "unusual", "rejected", "dropped")) {
			registry.add("closewatch.upstreams." + name + ".url", () -> server.url("/" + name));
		}
		registry.add("closewatch.upstreams.clean.headers.Authorization", () -> "Bearer tok-123");
		registry.add("closewatch.reconnect.delay", () -> "200ms");
		registry.add("closewatch.reconnect.max-delay", () -> "500ms");
	}

	@AfterAll
	static void stopServer() throws IOException {
		server.close();
	}

	@Test
	void recordsEveryKindOfCloseInTheHistory() {
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			assertThat(firstEvent("clean", "$.items[0].code")).isEqualTo(1000);
			assertThat(firstEvent("unusual", "$.items[0].code")).isEqualTo(2999);
			assertThat(firstEvent("rejected", "$.items[0].handshakeStatus")).isEqualTo(503);
			assertThat(firstEvent("dropped", "$.items[0].code")).isEqualTo(1006);
		});
		String clean = get("/api/v1/close-events?upstream=clean&limit=1");
		assertThat((String) JsonPath.read(clean, "$.items[0].reason")).isEqualTo("bye");
		assertThat((Boolean) JsonPath.read(clean, "$.items[0].wasClean")).isTrue();
		assertThat((String) JsonPath.read(clean, "$.items[0].initiator")).isEqualTo("SERVER");
		assertThat((Integer) JsonPath.read(clean, "$.items[0].messagesReceived")).isEqualTo(1);
		String rejected = get("/api/v1/close-events?upstream=rejected&limit=1");
		assertThat((Boolean) JsonPath.read(rejected, "$.items[0].errorEvent")).isTrue();
		assertThat((String) JsonPath.read(rejected, "$.items[0].phase")).isEqualTo("HANDSHAKE");
		assertThat((String) JsonPath.read(rejected, "$.items[0].error")).isEqualTo("handshake-rejected");
	}

	@Test
	void listsEveryUpstreamWithItsLastClose() {
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(
					(List<Object>) JsonPath.read(get("/api/v1/upstreams"), "$[?(@.lastClose != null)].name"))
				.hasSize(4));
		String upstreams = get("/api/v1/upstreams");
		assertThat((List<String>) JsonPath.read(upstreams, "$[*].name")).containsExactly("clean", "dropped", "rejected",
				"unusual");
		assertThat(upstreams).doesNotContain("tok-123");
	}

	@Test
	void exposesClosesInThePrometheusScrape() {
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(get("/actuator/prometheus"))
				.contains("closewatch_upstream_closes_total{clean=\"true\",code=\"1000\",upstream=\"clean\"}")
				.contains("closewatch_upstream_closes_total{clean=\"true\",code=\"2999\",upstream=\"unusual\"}")
				.contains("closewatch_upstream_closes_total{clean=\"false\",code=\"1006\",upstream=\"rejected\"}")
				.contains("closewatch_upstream_closes_total{clean=\"false\",code=\"1006\",upstream=\"dropped\"}"));
	}

	@Test
	void saysTheClusterIsOffWithoutIt() {
		assertThat(get("/api/v1/cluster"))
			.isEqualTo("{\"enabled\":false,\"member\":null,\"fenced\":null,\"shards\":null,"
					+ "\"unowned\":null,\"leaseTtl\":null,\"renewInterval\":null,\"members\":[]}");
	}

	@Test
	void keepsTheMetricContract() {
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(get("/actuator/prometheus")).contains("closewatch_upstream_closes_total{"));
		String scrape = get("/actuator/prometheus");

		assertThat(closewatchMetadata(scrape)).containsExactlyElementsOf(new TreeSet<>(List.of(
				"# HELP closewatch_config_last_reload_success_timestamp_seconds When the source's upstreams were last applied, in seconds since the epoch",
				"# HELP closewatch_config_last_reload_successful Whether the last reload of the source's upstreams succeeded (1) or not (0)",
				"# HELP closewatch_history_dropped_total Close events not stored because the write queue stayed full, or the store was down at shutdown",
				"# HELP closewatch_history_evictions_total Close events removed from the history: by capacity (memory store), max-age or max-events (retention)",
				"# HELP closewatch_history_store_up Whether the last write to the history store succeeded",
				"# HELP closewatch_stream_clients Clients connected to the close event stream",
				"# HELP closewatch_upstream_closes_total Ended connection attempts by browser-view close code and wasClean",
				"# HELP closewatch_upstream_connect_attempts_total Connection attempts by outcome: opened, or failed during the handshake",
				"# HELP closewatch_upstream_connected Whether the upstream's WebSocket is open (1) or not (0)",
				"# HELP closewatch_upstream_info Always 1: the upstream's labels, for joins such as closewatch_upstream_connected * on (upstream) group_left (team) closewatch_upstream_info",
				"# HELP closewatch_upstream_disconnected_seconds How long the upstream stayed disconnected, from a close to the next open",
				"# HELP closewatch_upstream_disconnected_seconds_max How long the upstream stayed disconnected, from a close to the next open",
				"# HELP closewatch_upstream_handshake_seconds Time from starting to connect to the completed WebSocket upgrade",
				"# HELP closewatch_upstream_handshake_seconds_max Time from starting to connect to the completed WebSocket upgrade",
				"# HELP closewatch_upstream_messages_total Data messages received from the upstream over all sessions",
				"# HELP closewatch_upstream_ping_seconds Round trip of closewatch's keep-alive pings, from ping to pong",
				"# HELP closewatch_upstream_ping_seconds_max Round trip of closewatch's keep-alive pings, from ping to pong",
				"# HELP closewatch_upstream_reconnect_attempt The upstream's current attempt number since the last reset",
				"# HELP closewatch_upstream_session_seconds How long WebSocket sessions stayed open, from open to close",
				"# HELP closewatch_upstream_session_seconds_max How long WebSocket sessions stayed open, from open to close",
				"# HELP closewatch_upstream_state The upstream's current connection state, always 1: one series per upstream, its state label the state",
				"# TYPE closewatch_config_last_reload_success_timestamp_seconds gauge",
				"# TYPE closewatch_config_last_reload_successful gauge",
				"# TYPE closewatch_history_dropped_total counter", "# TYPE closewatch_history_evictions_total counter",
				"# TYPE closewatch_history_store_up gauge", "# TYPE closewatch_stream_clients gauge",
				"# TYPE closewatch_upstream_closes_total counter",
				"# TYPE closewatch_upstream_connect_attempts_total counter",
				"# TYPE closewatch_upstream_connected gauge",
				"# TYPE closewatch_upstream_disconnected_seconds histogram", "# TYPE closewatch_upstream_info gauge",
				"# TYPE closewatch_upstream_disconnected_seconds_max gauge",
				"# TYPE closewatch_upstream_handshake_seconds histogram",
				"# TYPE closewatch_upstream_handshake_seconds_max gauge",
				"# TYPE closewatch_upstream_messages_total counter",
				"# TYPE closewatch_upstream_ping_seconds histogram",
				"# TYPE closewatch_upstream_ping_seconds_max gauge",
				"# TYPE closewatch_upstream_reconnect_attempt gauge",
				"# TYPE closewatch_upstream_session_seconds histogram",
				"# TYPE closewatch_upstream_session_seconds_max gauge", "# TYPE closewatch_upstream_state gauge")));
		assertThat(closewatchSeries(scrape)).containsExactlyElementsOf(new TreeSet<>(List.of(
				"closewatch_config_last_reload_success_timestamp_seconds{source}",
				"closewatch_config_last_reload_successful{source}", "closewatch_history_dropped_total{}",
				"closewatch_history_evictions_total{reason}", "closewatch_history_store_up{}",
				"closewatch_stream_clients{}", "closewatch_upstream_closes_total{clean,code,upstream}",
				"closewatch_upstream_connect_attempts_total{outcome,upstream}",
				"closewatch_upstream_connected{upstream}", "closewatch_upstream_disconnected_seconds_bucket{le}",
				"closewatch_upstream_disconnected_seconds_count{}", "closewatch_upstream_disconnected_seconds_max{}",
				"closewatch_upstream_disconnected_seconds_sum{}", "closewatch_upstream_handshake_seconds_bucket{le}",
				"closewatch_upstream_handshake_seconds_count{}", "closewatch_upstream_handshake_seconds_max{}",
				"closewatch_upstream_handshake_seconds_sum{}", "closewatch_upstream_info{upstream}",
				"closewatch_upstream_messages_total{upstream}", "closewatch_upstream_ping_seconds_bucket{le}",
				"closewatch_upstream_ping_seconds_count{}", "closewatch_upstream_ping_seconds_max{}",
				"closewatch_upstream_ping_seconds_sum{}", "closewatch_upstream_reconnect_attempt{upstream}",
				"closewatch_upstream_session_seconds_bucket{le}", "closewatch_upstream_session_seconds_count{}",
				"closewatch_upstream_session_seconds_max{}", "closewatch_upstream_session_seconds_sum{}",
				"closewatch_upstream_state{state,upstream}")));
	}

	private static Set<String> closewatchMetadata(String scrape) {
		Set<String> lines = new TreeSet<>();
		scrape.lines()
			.filter((line) -> line.startsWith("# HELP closewatch_") || line.startsWith("# TYPE closewatch_"))
			.forEach(lines::add);
		return lines;
	}

	private static Set<String> closewatchSeries(String scrape) {
		Pattern sample = Pattern.compile("^(closewatch_[a-z_]+)(?:\\{([^}]*)\\})? .*$");
		Pattern label = Pattern.compile("([a-z_]+)=\"");
		Set<String> series = new TreeSet<>();
		scrape.lines().forEach((line) -> {
			Matcher matcher = sample.matcher(line);
			if (matcher.matches()) {
				Set<String> labels = new TreeSet<>();
				if (matcher.group(2) != null) {
					Matcher labelMatcher = label.matcher(matcher.group(2));
					while (labelMatcher.find()) {
						labels.add(labelMatcher.group(1));
					}
				}
				series.add(matcher.group(1) + "{" + String.join(",", labels) + "}");
			}
		});
		return series;
	}

	private Object firstEvent(String upstream, String path) {
		return JsonPath.read(get("/api/v1/close-events?limit=1&upstream=" + upstream), path);
	}

	private String get(String path) {
		try {
			HttpResponse<String> response = this.http.send(
					HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).as(path).isEqualTo(200);
			return response.body();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
