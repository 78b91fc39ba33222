package dev.closewatch.api;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;

import com.jayway.jsonpath.JsonPath;
import dev.closewatch.testserver.RawWebSocketServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The availability and summary endpoints over real HTTP, answered in SQL by the default
 * {@code sqlite} store from the closes of real upstreams on 127.0.0.1.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "closewatch.history.store=sqlite",
		"closewatch.history.sqlite.path=" + StatisticsApiTests.DATABASE + "/closewatch.db" })
class StatisticsApiTests {

	// the store is chosen before the context starts, so its file must be known by then
	static final String DATABASE = "target/statistics-api-tests";

	private static final RawWebSocketServer server = startServer();

	static {
		FileSystemUtils.deleteRecursively(new File(DATABASE));
	}

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	private static RawWebSocketServer startServer() {
		try {
			return new RawWebSocketServer().on("/session", (peer) -> {
				peer.upgrade().hold(Duration.ofMillis(300));
				peer.close(1000, "bye");
				peer.awaitClose();
				peer.fin();
			}).on("/rejected", (peer) -> peer.respond("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@DynamicPropertySource
	static void upstreams(DynamicPropertyRegistry registry) {
		registry.add("closewatch.upstreams.session.url", () -> server.url("/session"));
		registry.add("closewatch.upstreams.rejected.url", () -> server.url("/rejected"));
		registry.add("closewatch.reconnect.delay", () -> "200ms");
		registry.add("closewatch.reconnect.max-delay", () -> "500ms");
	}

	@AfterAll
	static void stopServer() throws IOException {
		server.close();
	}

	@Test
	void answersAvailabilityFromTheRecordedSessions() {
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			String body = get("/api/v1/upstreams/session/availability").body();
			assertThat((Integer) JsonPath.read(body, "$.sessions.count")).isPositive();
		});
		HttpResponse<String> response = get("/api/v1/upstreams/session/availability");

		assertThat(response.statusCode()).isEqualTo(200);
		String body = response.body();
		assertThat((String) JsonPath.read(body, "$.upstream")).isEqualTo("session");
		assertThat(Duration.parse(JsonPath.read(body, "$.monitored"))).isPositive().isLessThan(Duration.ofMinutes(5));
		assertThat(Duration.parse(JsonPath.read(body, "$.unknown"))).isGreaterThan(Duration.ofHours(23));
		assertThat(Duration.parse(JsonPath.read(body, "$.sessions.median")))
			.isGreaterThanOrEqualTo(Duration.ofMillis(200));
		assertThat(JsonPath.<Number>read(body, "$.availability").doubleValue()).isBetween(0.0, 1.0);
		assertThat((Integer) JsonPath.read(body, "$.uncleanCloses")).isZero();
	}

	@Test
	void summarizesClosesByErrorInSql() {
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			String body = get("/api/v1/close-events/summary?by=error").body();
			assertThat((List<String>) JsonPath.read(body, "$.groups[*].key")).contains("handshake-rejected", "none");
		});
		String body = get("/api/v1/close-events/summary?by=upstream&limit=1").body();

		assertThat((List<Object>) JsonPath.read(body, "$.groups")).hasSize(1);
		assertThat((Integer) JsonPath.read(body, "$.closes")).isGreaterThanOrEqualTo(2);
	}

	@Test
	void answersProblemsForABadParameterAndAnUnknownUpstream() {
		HttpResponse<String> badBy = get("/api/v1/close-events/summary?by=reason");
		HttpResponse<String> unknown = get("/api/v1/upstreams/nope/availability");

		assertThat(badBy.statusCode()).isEqualTo(400);
		assertThat(badBy.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat((String) JsonPath.read(badBy.body(), "$.parameter")).isEqualTo("by");
		assertThat(unknown.statusCode()).isEqualTo(404);
		assertThat((String) JsonPath.read(unknown.body(), "$.type"))
			.isEqualTo("https://closewatch.dev/problems/unknown-upstream");
	}

	private HttpResponse<String> get(String path) {
		try {
			return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).build(),
					BodyHandlers.ofString());
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
