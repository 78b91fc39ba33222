package dev.closewatch.api;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import dev.closewatch.closeevent.CloseEvent;
import dev.closewatch.closeevent.CloseEventListenerOrder;
import dev.closewatch.testserver.RawWebSocketServer;
import dev.closewatch.testserver.SseClient;
import dev.closewatch.testserver.SseClient.Event;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static dev.closewatch.history.TestCloseEvents.closeEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The live stream over real HTTP: two upstreams held open by a raw server (so they close
 * only when the test publishes), events published as the connections would.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "closewatch.stream.heartbeat=300ms", "closewatch.stream.buffer=50",
				"closewatch.startup-spread=0s" })
@AutoConfigureMetrics
@Import(CloseEventStreamTests.BeforeTheStream.class)
class CloseEventStreamTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final RawWebSocketServer server = startServer();

	// ids above anything the clock-based id source of the held connections could reach
	private static final AtomicLong ids = new AtomicLong(10_000_000_000_000_000L);

	@LocalServerPort
	private int port;

	@Autowired
	private ApplicationEventPublisher events;

	@Autowired
	private JsonMapper jsonMapper;

	@Autowired
	private CloseEventStream stream;

	@Autowired
	private MeterRegistry meterRegistry;

	@Autowired
	private BeforeTheStream beforeTheStream;

	private final HttpClient http = HttpClient.newHttpClient();

	private static RawWebSocketServer startServer() {
		try {
			return new RawWebSocketServer().on("/held", (peer) -> {
				peer.upgrade();
				peer.awaitClose();
				peer.close(1001, "");
				peer.fin();
			});
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@DynamicPropertySource
	static void upstreams(DynamicPropertyRegistry registry) {
		registry.add("closewatch.upstreams.prices.url", () -> server.url("/held"));
		registry.add("closewatch.upstreams.chat.url", () -> server.url("/held"));
	}

	@AfterAll
	static void stopServer() throws IOException {
		server.close();
	}

	private URI uri(String pathAndQuery) {
		return URI.create("http://127.0.0.1:" + this.port + pathAndQuery);
	}

	private long publish(String upstream) {
		long id = ids.incrementAndGet();
		this.events.publishEvent(
				closeEvent(id).closedAt(Instant.now()).upstream(upstream).code(4000).reason("test " + id).build());
		return id;
	}

	@Test
	void sendsEachCloseAsAnEventWithItsIdAndTheListJson() throws Exception {
		try (SseClient client = SseClient.connect(uri("/api/v1/close-events/stream"))) {
			assertThat(client.response().statusCode()).isEqualTo(200);
			assertThat(client.response().headers().firstValue("Content-Type"))
				.hasValueSatisfying((type) -> assertThat(type).startsWith("text/event-stream"));
			assertThat(client.response().headers().firstValue("X-Accel-Buffering")).hasValue("no");
			assertThat(client.response().headers().firstValue("Cache-Control")).hasValue("no-store");
			await().until(() -> this.stream.clientCount() > 0);

			long first = publish("prices");
			long second = publish("chat");

			Event one = client.nextEvent(WAIT);
			Event two = client.nextEvent(WAIT);
			assertThat(one.id()).isEqualTo(Long.toString(first));
			assertThat(one.name()).isEqualTo("close");
			assertThat(two.id()).isEqualTo(Long.toString(second));
			assertThat(this.jsonMapper.readTree(one.data())).isEqualTo(listed(first));
		}
	}

	@Test
	void streamsACloseOnlyOnceItIsListedAndCounted() throws Exception {
		try (SseClient client = SseClient.connect(uri("/api/v1/close-events/stream"))) {
			await().until(() -> this.stream.clientCount() > 0);
			long id = ids.incrementAndGet();
			AtomicReference<@Nullable Event> streamedTooEarly = new AtomicReference<>();
			AtomicReference<@Nullable JsonNode> listed = new AtomicReference<>();
			AtomicReference<String> scraped = new AtomicReference<>("");
			this.beforeTheStream.next(() -> {
				try {
					streamedTooEarly.set(client.nextEvent(Duration.ofMillis(300)));
					listed.set(listedOrNull(id));
					scraped.set(get("/actuator/prometheus"));
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			});

			this.events.publishEvent(
					closeEvent(id).closedAt(Instant.now()).upstream("prices").code(4321).reason("ordered").build());

			assertThat(streamedTooEarly.get()).isNull();
			assertThat(listed.get()).isNotNull();
			assertThat(scraped.get())
				.containsPattern("closewatch_upstream_closes_total\\{[^}]*code=\"4321\"[^}]*\\} 1");
			assertThat(client.nextEvent(WAIT)).extracting(Event::id).isEqualTo(Long.toString(id));
		}
	}

	@Test
	void resumesAfterLastEventIdFromTheHistoryThenGoesLive() throws Exception {
		long seen = publish("prices");
		long missed1 = publish("chat");
		long missed2 = publish("prices");

		try (SseClient client = SseClient.connect(uri("/api/v1/close-events/stream"), "Last-Event-ID",
				Long.toString(seen))) {
			assertThat(client.nextEvent(WAIT).id()).isEqualTo(Long.toString(missed1));
			assertThat(client.nextEvent(WAIT).id()).isEqualTo(Long.toString(missed2));
			long live = publish("chat");
			assertThat(client.nextEvent(WAIT).id()).isEqualTo(Long.toString(live));
		}
	}

	@Test
	void sendsOnlyTheFilteredUpstream() throws Exception {
		long before = publish("chat");
		try (SseClient client = SseClient.connect(uri("/api/v1/close-events/stream?upstream=prices"), "Last-Event-ID",
				Long.toString(before - 1))) {
			await().until(() -> this.stream.clientCount() > 0);

			publish("chat");
			long prices = publish("prices");

			Event event = client.nextEvent(WAIT);
			assertThat(event.id()).isEqualTo(Long.toString(prices));
			assertThat(this.jsonMapper.readTree(event.data()).get("upstream").asString()).isEqualTo("prices");
		}
	}

	@Test
	void answersUnknownUpstreamWithNotFoundProblem() throws Exception {
		HttpResponse<String> response = this.http
			.send(HttpRequest.newBuilder(uri("/api/v1/close-events/stream?upstream=nope"))
				.header("Accept", "text/event-stream")
				.build(), BodyHandlers.ofString());

		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		JsonNode problem = this.jsonMapper.readTree(response.body());
		assertThat(problem.get("type").asString()).isEqualTo(UnknownUpstreamException.TYPE.toString());
		assertThat(problem.get("parameter").asString()).isEqualTo("upstream");
	}

	@Test
	void rejectsMalformedLastEventIdWithBadRequestProblem() throws Exception {
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(uri("/api/v1/close-events/stream"))
			.header("Accept", "text/event-stream")
			.header("Last-Event-ID", "yesterday")
			.build(), BodyHandlers.ofString());

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(this.jsonMapper.readTree(response.body()).get("parameter").asString()).isEqualTo("Last-Event-ID");
	}

	@Test
	void sendsHeartbeatCommentsAndCountsClients() throws Exception {
		try (SseClient client = SseClient.connect(uri("/api/v1/close-events/stream"))) {
			assertThat(client.nextComment(WAIT)).isEqualTo("closewatch close events");
			assertThat(client.nextComment(WAIT)).isEqualTo("heartbeat");
			assertThat(this.meterRegistry.get(CloseEventStream.CLIENTS).gauge().value()).isGreaterThanOrEqualTo(1);
		}
		// the next heartbeat finds the connection gone
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(this.meterRegistry.get(CloseEventStream.CLIENTS).gauge().value()).isZero());
	}

	private JsonNode listed(long id) throws Exception {
		JsonNode item = listedOrNull(id);
		if (item == null) {
			throw new AssertionError("event " + id + " not listed");
		}
		return item;
	}

	private @Nullable JsonNode listedOrNull(long id) throws Exception {
		for (JsonNode item : this.jsonMapper.readTree(get("/api/v1/close-events?limit=1000")).get("items")) {
			if (item.get("id").asLong() == id) {
				return item;
			}
		}
		return null;
	}

	private String get(String pathAndQuery) throws Exception {
		return this.http.send(HttpRequest.newBuilder(uri(pathAndQuery)).build(), BodyHandlers.ofString()).body();
	}

	/**
	 * Runs a task on the publishing thread after the listeners that record an event and
	 * just before the stream's.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	static class BeforeTheStream {

		private final AtomicReference<@Nullable Runnable> next = new AtomicReference<>();

		void next(Runnable task) {
			this.next.set(task);
		}

		@EventListener
		@Order(CloseEventListenerOrder.NOTIFY - 1)
		void onClose(CloseEvent event) {
			Runnable task = this.next.getAndSet(null);
			if (task != null) {
				task.run();
			}
		}

	}

}
