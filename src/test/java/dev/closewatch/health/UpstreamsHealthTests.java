package dev.closewatch.health;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import dev.closewatch.testserver.RawWebSocketServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The health endpoint and probes of a running closewatch whose upstreams are both down:
 * one closed by its server, one refused.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "closewatch.reconnect.delay=1h",
		"closewatch.reconnect.max-delay=1h", "closewatch.startup-spread=0s" })
class UpstreamsHealthTests {

	private static final RawWebSocketServer server = startServer();

	@LocalServerPort
	private int port;

	private final HttpClient http = HttpClient.newHttpClient();

	private static RawWebSocketServer startServer() {
		try {
			return new RawWebSocketServer().on("/closes", (peer) -> {
				peer.upgrade().close(1011, "overloaded");
				peer.awaitClose();
				peer.fin();
			});
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@DynamicPropertySource
	static void upstreams(DynamicPropertyRegistry registry) throws IOException {
		String refused = "ws://127.0.0.1:" + unusedPort() + "/";
		registry.add("closewatch.upstreams.flaky.url", () -> server.url("/closes"));
		registry.add("closewatch.upstreams.refused.url", () -> refused);
	}

	@AfterAll
	static void stopServer() throws IOException {
		server.close();
	}

	@Test
	void reportsEachUpstreamsStateAndLastCloseWhileStayingUp() throws Exception {
		// the paths are missing until both upstreams have closed once
		await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
			DocumentContext health = get("/actuator/health");
			assertThat((Object) health.read("$.components.upstreams.details.flaky.lastClose.code")).isEqualTo(1011);
			assertThat((Object) health.read("$.components.upstreams.details.refused.lastClose.code")).isEqualTo(1006);
		});

		DocumentContext health = get("/actuator/health");
		assertThat((String) health.read("$.status")).isEqualTo("UP");
		assertThat((String) health.read("$.components.upstreams.status")).isEqualTo("UP");
		assertThat((String) health.read("$.components.upstreams.details.flaky.state"))
			.isEqualTo("WAITING_TO_RECONNECT");
		assertThat((Object) health.read("$.components.upstreams.details.flaky.attempt")).isEqualTo(1);
		assertThat((String) health.read("$.components.upstreams.details.flaky.disconnectedSince")).isNotBlank();
		assertThat((String) health.read("$.components.upstreams.details.flaky.lastClose.reason"))
			.isEqualTo("overloaded");
		assertThat((Boolean) health.read("$.components.upstreams.details.flaky.lastClose.wasClean")).isTrue();
		assertThat((String) health.read("$.components.upstreams.details.flaky.lastClose.closedAt")).endsWith("Z");
		assertThat((Boolean) health.read("$.components.upstreams.details.refused.lastClose.wasClean")).isFalse();
		assertThat((String) health.read("$.components.upstreams.details.refused.lastClose.error"))
			.isEqualTo("connect-refused");
	}

	@Test
	void keepsUpstreamsOutOfLivenessAndReadiness() throws Exception {
		for (String probe : new String[] { "/livez", "/readyz", "/actuator/health/liveness",
				"/actuator/health/readiness" }) {
			String body = this.http.send(HttpRequest.newBuilder(uri(probe)).build(), BodyHandlers.ofString()).body();

			assertThat(JsonPath.parse(body).read("$.status", String.class)).as(probe).isEqualTo("UP");
			assertThat(body).as(probe).doesNotContain("upstreams", "flaky");
		}
	}

	private DocumentContext get(String path) throws Exception {
		return JsonPath
			.parse(this.http.send(HttpRequest.newBuilder(uri(path)).build(), BodyHandlers.ofString()).body());
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

	private static int unusedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
