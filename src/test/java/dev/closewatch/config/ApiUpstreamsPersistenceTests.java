package dev.closewatch.config;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;

import dev.closewatch.CloseWatchApplication;
import dev.closewatch.upstream.UpstreamSources;
import dev.closewatch.upstream.Upstreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Upstreams defined through the API are kept in the history store's database (SQLite
 * here) and are monitored again after a restart, before any connection opens.
 */
class ApiUpstreamsPersistenceTests {

	@TempDir
	Path directory;

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void keepsUpstreamsDefinedThroughTheApiAcrossARestart() throws Exception {
		try (ConfigurableApplicationContext first = start()) {
			assertThat(
					send(first, "PUT", "kept",
							"{\"url\": \"ws://127.0.0.1:1/kept\", \"labels\": {\"team\": \"fx\"}, "
									+ "\"headers\": {\"Authorization\": \"Bearer t0ken\"}}")
						.statusCode())
				.isEqualTo(201);
			assertThat(send(first, "PUT", "gone", "{\"url\": \"ws://127.0.0.1:1/gone\"}").statusCode()).isEqualTo(201);
			assertThat(send(first, "DELETE", "gone", null).statusCode()).isEqualTo(204);
			assertThat(first.getBean(JdbcTemplate.class)
				.queryForList("SELECT name FROM api_upstream ORDER BY name", String.class)).containsExactly("kept");
		}

		try (ConfigurableApplicationContext second = start()) {
			Upstreams upstreams = second.getBean(Upstreams.class);

			assertThat(upstreams.names()).containsExactly("kept");
			assertThat(upstreams.status("kept").orElseThrow().labels()).containsEntry("team", "fx");
			assertThat(second.getBean(UpstreamSources.class).owner("kept")).isEqualTo("api");
			assertThat(send(second, "DELETE", "kept", null).statusCode()).isEqualTo(204);
		}

		try (ConfigurableApplicationContext third = start()) {
			assertThat(third.getBean(Upstreams.class).names()).isEmpty();
		}
	}

	@Test
	void leavesOutAStoredUpstreamWhoseNameAnotherSourceTookAndReportsIt() throws Exception {
		try (ConfigurableApplicationContext first = start()) {
			assertThat(send(first, "PUT", "taken", "{\"url\": \"ws://127.0.0.1:1/from-api\"}").statusCode())
				.isEqualTo(201);
		}

		try (ConfigurableApplicationContext second = start(
				"--closewatch.upstreams.taken.url=ws://127.0.0.1:1/from-config")) {
			UpstreamSources sources = second.getBean(UpstreamSources.class);

			assertThat(sources.owner("taken")).isEqualTo("application");
			assertThat(second.getBean(Upstreams.class).status("taken").orElseThrow().url()).endsWith("/from-config");
			assertThat(sources.states()).filteredOn((state) -> state.source().equals("api"))
				.singleElement()
				.satisfies((state) -> {
					assertThat(state.successful()).isFalse();
					assertThat(state.error()).contains("'taken' is defined by application");
				});
		}
	}

	private ConfigurableApplicationContext start(String... more) {
		String[] arguments = java.util.stream.Stream
			.concat(java.util.Arrays.stream(base()), java.util.Arrays.stream(more))
			.toArray(String[]::new);
		return new SpringApplicationBuilder(CloseWatchApplication.class).run(arguments);
	}

	private String[] base() {
		// arguments: they outrank the tests' application.yaml, which chooses the memory
		// store
		return new String[] { "--server.port=0", "--server.address=127.0.0.1", "--closewatch.history.store=sqlite",
				"--closewatch.history.sqlite.path=" + this.directory.resolve("closewatch.db"),
				"--closewatch.api.admin-token=s3cret-admin", "--closewatch.reconnect.delay=1h",
				"--closewatch.reconnect.max-delay=1h" };
	}

	private HttpResponse<String> send(ConfigurableApplicationContext context, String method, String name, String body)
			throws Exception {
		String port = context.getEnvironment().getProperty("local.server.port");
		HttpRequest request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/upstreams/" + name))
			.timeout(Duration.ofSeconds(20))
			.header("Authorization", "Bearer s3cret-admin")
			.header("Content-Type", "application/json")
			.method(method,
					(body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody())
			.build();
		return this.http.send(request, BodyHandlers.ofString());
	}

}
