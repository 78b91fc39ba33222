package dev.closewatch.config;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;

import dev.closewatch.upstream.UpstreamSources;
import dev.closewatch.upstream.UpstreamState;
import dev.closewatch.upstream.UpstreamStatus;
import dev.closewatch.upstream.Upstreams;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code PUT} and {@code DELETE /api/v1/upstreams/{name}} against a real WebSocket server
 * that counts what it sees: guarded by the admin token, refusing a body startup would
 * refuse and a name another source owns, never echoing a secret.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "closewatch.startup-spread=0s", "closewatch.reconnect.delay=100ms",
				"closewatch.api.admin-token=s3cret-admin",
				"closewatch.upstreams.from-config.url=ws://127.0.0.1:1/from-config" })
class ApiUpstreamsTests {

	private static final String TOKEN = "Bearer s3cret-admin";

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@Autowired
	private CountingUpstreamServer server;

	@Autowired
	private Upstreams upstreams;

	@Autowired
	private UpstreamSources sources;

	@AfterEach
	void deleteEverythingDefinedThroughTheApi() throws Exception {
		for (String name : this.sources.upstreams(ApiUpstreams.SOURCE).keySet()) {
			assertThat(send("DELETE", name, null, TOKEN).statusCode()).isEqualTo(204);
		}
	}

	@Test
	void createsAnUpstreamThatConnectsAndNeverEchoesItsSecrets() throws Exception {
		HttpResponse<String> created = send("PUT", "prices", """
				{"url": "ws://alice:pa55word@127.0.0.1:%d/upstream/prices",
				 "headers": {"Authorization": "Bearer t0ken-123"},
				 "labels": {"team": "payments"},
				 "reconnect": {"maxDelay": "10s"}, "ping-interval": "20s"}
				""".formatted(this.port), TOKEN);

		assertThat(created.statusCode()).isEqualTo(201);
		assertThat(created.headers().firstValue("Location")).hasValue("/api/v1/upstreams/prices");
		assertThat(created.body()).contains("\"name\":\"prices\"", "\"team\":\"payments\"")
			.doesNotContain("pa55word", "t0ken-123", "Authorization", "headers");
		awaitOpen("prices");
		assertThat(this.server.opened("prices")).isEqualTo(1);
		assertThat(this.sources.owner("prices")).isEqualTo("api");
	}

	@Test
	void replacesAnUpstreamReconnectingItOnlyWhenItsSettingsChanged() throws Exception {
		String body = "{\"url\": \"ws://127.0.0.1:%d/upstream/quotes\"}".formatted(this.port);
		assertThat(send("PUT", "quotes", body, TOKEN).statusCode()).isEqualTo(201);
		awaitOpen("quotes");

		assertThat(send("PUT", "quotes", body, TOKEN).statusCode()).isEqualTo(200);
		assertThat(send("PUT", "quotes",
				"{\"url\": \"ws://127.0.0.1:%d/upstream/quotes\", \"labels\": {\"env\": \"prod\"}}"
					.formatted(this.port),
				TOKEN)
			.statusCode()).isEqualTo(200);
		assertThat(this.server.opened("quotes")).isEqualTo(1);
		assertThat(this.upstreams.status("quotes").orElseThrow().labels()).containsEntry("env", "prod");

		assertThat(send("PUT", "quotes",
				"{\"url\": \"ws://127.0.0.1:%d/upstream/quotes\", \"on-open\": \"hi\"}".formatted(this.port), TOKEN)
			.statusCode()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.server.opened("quotes") == 2);
		assertThat(this.server.lastClose("quotes")).isEqualTo("1000 reconfigured");
	}

	@Test
	void deletesAnUpstreamClosingItWith1000Removed() throws Exception {
		send("PUT", "news", "{\"url\": \"ws://127.0.0.1:%d/upstream/news\"}".formatted(this.port), TOKEN);
		awaitOpen("news");

		assertThat(send("DELETE", "news", null, TOKEN).statusCode()).isEqualTo(204);

		assertThat(this.upstreams.contains("news")).isFalse();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.server.open("news") == 0);
		assertThat(this.server.lastClose("news")).isEqualTo("1000 removed");
		assertThat(send("DELETE", "news", null, TOKEN).statusCode()).isEqualTo(404);
	}

	@Test
	void asksForTheTokenAndRefusesAWrongOneChangingNothing() throws Exception {
		String body = "{\"url\": \"ws://127.0.0.1:%d/upstream/x\"}".formatted(this.port);

		HttpResponse<String> without = send("PUT", "guarded", body, null);
		HttpResponse<String> wrong = send("PUT", "guarded", body, "Bearer nope");

		assertThat(without.statusCode()).isEqualTo(401);
		assertThat(without.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(wrong.statusCode()).isEqualTo(403);
		assertThat(send("DELETE", "from-config", null, null).statusCode()).isEqualTo(401);
		assertThat(send("DELETE", "from-config", null, "Bearer nope").statusCode()).isEqualTo(403);
		assertThat(this.upstreams.contains("guarded")).isFalse();
		assertThat(this.upstreams.contains("from-config")).isTrue();
	}

	@Test
	void refusesAnInvalidBodyWithAProblemNamingTheField() throws Exception {
		HttpResponse<String> badDuration = send("PUT", "bad",
				"{\"url\": \"ws://127.0.0.1:1/x\", " + "\"reconnect\": {\"max-delay\": \"soon\"}}", TOKEN);
		HttpResponse<String> badUrl = send("PUT", "bad", "{\"url\": \"https://127.0.0.1:1/x\"}", TOKEN);
		HttpResponse<String> unknownKey = send("PUT", "bad", "{\"url\": \"ws://127.0.0.1:1/x\", \"on-opem\": \"hi\"}",
				TOKEN);
		HttpResponse<String> badName = send("PUT", "Bad_Name", "{\"url\": \"ws://127.0.0.1:1/x\"}", TOKEN);
		HttpResponse<String> notJson = send("PUT", "bad", "{\"url\": ", TOKEN);

		assertThat(badDuration.statusCode()).isEqualTo(400);
		assertThat(badDuration.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(badDuration.body()).contains("\"type\":\"https://closewatch.dev/problems/invalid-upstream\"",
				"\"field\":\"reconnect.max-delay\"", "\"property\":\"closewatch.upstreams.bad.reconnect.max-delay\"");
		assertThat(badUrl.statusCode()).isEqualTo(400);
		assertThat(badUrl.body()).contains("\"field\":\"url\"", "must use ws:// or wss://");
		assertThat(unknownKey.statusCode()).isEqualTo(400);
		assertThat(unknownKey.body()).contains("closewatch.upstreams.bad.on-opem");
		assertThat(badName.statusCode()).isEqualTo(400);
		assertThat(badName.body()).contains("lowercase kebab-case");
		assertThat(notJson.statusCode()).isEqualTo(400);
		assertThat(notJson.body()).contains("not valid YAML or JSON");
		assertThat(this.upstreams.contains("bad")).isFalse();
		assertThat(state().successful()).isTrue();
	}

	@Test
	void refusesANameAnotherSourceOwnsNamingTheOwner() throws Exception {
		HttpResponse<String> put = send("PUT", "from-config", "{\"url\": \"ws://127.0.0.1:1/other\"}", TOKEN);
		HttpResponse<String> delete = send("DELETE", "from-config", null, TOKEN);

		assertThat(put.statusCode()).isEqualTo(409);
		assertThat(put.body()).contains("\"owner\":\"application\"",
				"\"type\":\"https://closewatch.dev/problems/upstream-owned-elsewhere\"");
		assertThat(delete.statusCode()).isEqualTo(409);
		assertThat(this.upstreams.status("from-config").orElseThrow().url()).endsWith("/from-config");
	}

	@Test
	void answersDeleteOfAnUnknownNameWith404() throws Exception {
		HttpResponse<String> response = send("DELETE", "nobody", null, TOKEN);

		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(response.body()).contains("https://closewatch.dev/problems/unknown-upstream");
	}

	private UpstreamSources.SourceState state() {
		return this.sources.states()
			.stream()
			.filter((state) -> state.source().equals(ApiUpstreams.SOURCE))
			.findFirst()
			.orElseThrow();
	}

	private void awaitOpen(String name) {
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.upstreams.status(name).map(UpstreamStatus::state).orElse(null))
				.isEqualTo(UpstreamState.OPEN));
	}

	private HttpResponse<String> send(String method, String name, @Nullable String body, @Nullable String authorization)
			throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/api/v1/upstreams/" + name))
			.timeout(Duration.ofSeconds(20))
			.header("Content-Type", "application/json")
			.method(method,
					(body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		return this.http.send(request.build(), BodyHandlers.ofString());
	}

	@TestConfiguration(proxyBeanMethods = false)
	@EnableWebSocket
	static class Server {

		@Bean
		CountingUpstreamServer countingUpstreamServer() {
			return new CountingUpstreamServer();
		}

		@Bean
		WebSocketConfigurer countingUpstreamEndpoint(CountingUpstreamServer server) {
			return (registry) -> registry.addHandler(server, "/upstream/*");
		}

	}

}
