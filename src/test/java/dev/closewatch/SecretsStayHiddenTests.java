package dev.closewatch;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.closewatch.testserver.RawWebSocketServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Credentials of an upstream (URL user-info, a token query parameter, an
 * {@code Authorization} header) are used on the wire but appear in no log line and in no
 * answer of the API, health or metrics, with closewatch's own debug logging on.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "logging.level.dev.closewatch=DEBUG", "closewatch.reconnect.delay=1h",
				"closewatch.reconnect.max-delay=1h", "closewatch.startup-spread=0s" })
@AutoConfigureMetrics
@ExtendWith(OutputCaptureExtension.class)
class SecretsStayHiddenTests {

	static final String PASSWORD = "s3cret";

	static final String TOKEN = "tok-123";

	// how the user-info travels as HTTP Basic authentication
	static final String BASIC = Base64.getEncoder().encodeToString("alice:s3cret".getBytes(StandardCharsets.UTF_8));

	static final List<String> SECRETS = List.of(PASSWORD, TOKEN, BASIC);

	static final List<String> authorizations = new CopyOnWriteArrayList<>();

	static final RawWebSocketServer server = startServer();

	@LocalServerPort
	private int port;

	private final HttpClient http = HttpClient.newHttpClient();

	private static RawWebSocketServer startServer() {
		try {
			return new RawWebSocketServer().on("/x", (peer) -> {
				authorizations.add(peer.header("Authorization"));
				peer.upgrade().close(1011, "overloaded");
				peer.awaitClose();
				peer.fin();
			}).on("/401", (peer) -> {
				authorizations.add(peer.header("Authorization"));
				peer.respond("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"x\"\r\n"
						+ "Content-Length: 0\r\nConnection: close\r\n\r\n");
			});
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@DynamicPropertySource
	static void upstreams(DynamicPropertyRegistry registry) throws IOException {
		String authority = "alice:" + PASSWORD + "@127.0.0.1:";
		String refused = "ws://" + authority + unusedPort() + "/feed?token=" + TOKEN;
		registry.add("closewatch.upstreams.secured.url", () -> "ws://" + authority + server.port() + "/x");
		registry.add("closewatch.upstreams.secured.headers[Authorization]", () -> "Bearer " + TOKEN);
		registry.add("closewatch.upstreams.rejected.url", () -> "ws://" + authority + server.port() + "/401");
		registry.add("closewatch.upstreams.refused.url", () -> refused);
	}

	@AfterAll
	static void stopServer() throws IOException {
		server.close();
	}

	@Test
	void logsEachCloseWithoutCredentials(CapturedOutput output) {
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(output.getAll()).contains("Upstream 'secured' closed: code=1011",
					"Upstream 'rejected' closed: code=1006", "Upstream 'refused' closed: code=1006"));

		assertThat(authorizations).contains("Bearer " + TOKEN, "Basic " + BASIC);
		assertThat(output.getAll()).doesNotContain(SECRETS);
	}

	@Test
	void answersWithoutCredentials(CapturedOutput output) throws Exception {
		// wait on the API, not on log lines: the context may have been started by the
		// other test
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.http
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/api/v1/close-events"))
					.build(), BodyHandlers.ofString())
				.body()).contains("\"upstream\":\"refused\"", "\"upstream\":\"rejected\"", "\"upstream\":\"secured\""));

		for (String path : List.of("/api/v1/upstreams", "/api/v1/upstreams/secured", "/api/v1/close-events",
				"/actuator/health", "/actuator/prometheus", "/actuator/info")) {
			String body = this.http
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).build(),
						BodyHandlers.ofString())
				.body();

			assertThat(body).as(path).isNotEmpty().doesNotContain(SECRETS);
		}
		assertThat(output.getAll()).doesNotContain(SECRETS);
	}

	private static int unusedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
