package dev.closewatch;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;

import dev.closewatch.testserver.RawWebSocketServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static dev.closewatch.SecretsStayHiddenTests.SECRETS;
import static dev.closewatch.SecretsStayHiddenTests.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With {@code logging.structured.format.console=ecs} every log line is one ECS JSON
 * document, each close is exactly one INFO line, and credentials stay out of all of them.
 * Runs its own application rather than a cached test context, because the logging system
 * is configured once per JVM while any context is open.
 */
@ExtendWith(OutputCaptureExtension.class)
class StructuredLoggingTests {

	private RawWebSocketServer server;

	@BeforeEach
	void startServer() throws IOException {
		this.server = new RawWebSocketServer().on("/x", (peer) -> {
			peer.upgrade().close(1011, "overloaded");
			peer.awaitClose();
			peer.fin();
		}).on("/open", (peer) -> {
			peer.upgrade();
			peer.awaitClose();
			peer.fin();
		});
	}

	@AfterEach
	void stopServer() throws IOException {
		this.server.close();
	}

	@Test
	void logsEachCloseAsOneEcsJsonLineWithoutCredentials(CapturedOutput output) {
		// let this application configure logging although cached test contexts are open
		LoggingSystem.get(getClass().getClassLoader()).cleanUp();
		try (ConfigurableApplicationContext application = new SpringApplicationBuilder(CloseWatchApplication.class)
			.properties("logging.structured.format.console=ecs", "logging.level.dev.closewatch=DEBUG", "server.port=0",
					"server.address=127.0.0.1", "closewatch.reconnect.delay=1h", "closewatch.reconnect.max-delay=1h",
					"closewatch.startup-spread=0s",
					"closewatch.upstreams.secured.url=ws://alice:s3cret@127.0.0.1:" + this.server.port() + "/x",
					"closewatch.upstreams.secured.headers[Authorization]=Bearer " + TOKEN)
			.run()) {
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(closeLines(output)).hasSize(1));
		}

		JsonNode line = JsonMapper.shared().readTree(closeLines(output).get(0));
		assertThat(line.at("/log/level").asString()).isEqualTo("INFO");
		assertThat(line.at("/log/logger").asString()).isEqualTo("dev.closewatch.upstream.UpstreamConnection");
		assertThat(line.at("/service/name").asString()).isEqualTo("closewatch");
		assertThat(line.at("/upstream").asString()).isEqualTo("secured");
		assertThat(line.at("/close/code").asInt()).isEqualTo(1011);
		assertThat(line.at("/close/was_clean").asBoolean()).isTrue();
		assertThat(line.at("/close/initiator").asString()).isEqualTo("SERVER");
		assertThat(line.get("message").asString())
			.startsWith("Upstream 'secured' closed: code=1011 reason='overloaded' wasClean=true initiator=SERVER");
		assertThat(output.getOut().lines().filter((text) -> text.contains("closewatch.upstream"))).isNotEmpty()
			.allSatisfy((text) -> assertThat(text).startsWith("{").endsWith("}"));
		assertThat(output.getAll()).doesNotContain(SECRETS);
	}

	@Test
	void saysOnceWhenEveryUpstreamIsOpenInsteadOfOneInfoLinePerOpen(CapturedOutput output) {
		LoggingSystem.get(getClass().getClassLoader()).cleanUp();
		String url = "ws://127.0.0.1:" + this.server.port() + "/open";
		try (ConfigurableApplicationContext application = new SpringApplicationBuilder(CloseWatchApplication.class)
			.properties("logging.structured.format.console=ecs", "server.port=0", "server.address=127.0.0.1",
					"closewatch.startup-spread=0s", "closewatch.upstreams.a.url=" + url,
					"closewatch.upstreams.b.url=" + url, "closewatch.upstreams.c.url=" + url)
			.run()) {
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(linesContaining(output, "All 3 upstream(s) open")).hasSize(1));
		}

		JsonNode line = JsonMapper.shared().readTree(linesContaining(output, "All 3 upstream(s) open").get(0));
		assertThat(line.at("/log/level").asString()).isEqualTo("INFO");
		assertThat(line.get("message").asString())
			.matches("All 3 upstream\\(s\\) open, \\d+ ms after monitoring started");
		assertThat(linesContaining(output, "' open: attempt=")).isEmpty();
	}

	@Test
	void namesTheUpstreamsNotYetOpenOnceEachHasHadItsFirstAttempt(CapturedOutput output) throws IOException {
		LoggingSystem.get(getClass().getClassLoader()).cleanUp();
		int refused;
		try (ServerSocket socket = new ServerSocket(0)) {
			refused = socket.getLocalPort();
		}
		try (ConfigurableApplicationContext application = new SpringApplicationBuilder(CloseWatchApplication.class)
			.properties("server.port=0", "server.address=127.0.0.1", "closewatch.startup-spread=0s",
					"closewatch.connect-timeout=1s", "closewatch.reconnect.delay=1h",
					"closewatch.reconnect.max-delay=1h",
					"closewatch.upstreams.up.url=ws://127.0.0.1:" + this.server.port() + "/open",
					"closewatch.upstreams.down.url=ws://127.0.0.1:" + refused + "/")
			.run()) {
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(linesContaining(output, "upstream(s) not open")).hasSize(1));
		}

		assertThat(linesContaining(output, "upstream(s) not open").get(0)).contains("WARN")
			.containsPattern(
					"1 of 2 upstream\\(s\\) not open \\d+ ms after monitoring started: down; see GET /api/v1/upstreams");
		assertThat(linesContaining(output, "All 2 upstream(s) open")).isEmpty();
	}

	private static List<String> linesContaining(CapturedOutput output, String text) {
		return output.getOut().lines().filter((line) -> line.contains(text)).toList();
	}

	private static List<String> closeLines(CapturedOutput output) {
		return output.getOut().lines().filter((line) -> line.contains("Upstream 'secured' closed")).toList();
	}

}
