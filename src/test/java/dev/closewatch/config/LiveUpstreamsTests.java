package dev.closewatch.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import dev.closewatch.closeevent.CloseEvent;
import dev.closewatch.closeevent.Initiator;
import dev.closewatch.history.CloseEventHistory;
import dev.closewatch.history.CloseEventQuery;
import dev.closewatch.upstream.UpstreamSources;
import dev.closewatch.upstream.UpstreamState;
import dev.closewatch.upstream.UpstreamStatus;
import dev.closewatch.upstream.Upstreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Upstreams changed while closewatch runs, from a watched file, against a real WebSocket
 * server that counts what it sees.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "closewatch.startup-spread=0s",
				"closewatch.upstream-files-quiet-period=200ms", "closewatch.reconnect.delay=100ms" })
class LiveUpstreamsTests {

	@TempDir
	static Path directory;

	// a ConfigMap mounted as a directory: the file is a symlink through ..data
	private static Path file;

	private static int port;

	@Autowired
	private CountingUpstreamServer server;

	@Autowired
	private Upstreams upstreams;

	@Autowired
	private UpstreamSources sources;

	@Autowired
	private UpstreamFiles files;

	@Autowired
	private CloseEventHistory history;

	@LocalServerPort
	private int localPort;

	@BeforeAll
	static void configMap() throws IOException {
		file = directory.resolve("upstreams.yaml");
	}

	@DynamicPropertySource
	static void upstreamFiles(DynamicPropertyRegistry registry) throws IOException {
		Path data = directory.resolve("..2026_01_01_00_00_00.000000001");
		Files.createDirectories(data);
		// the first generation: no upstreams yet (the port is not known before the server
		// starts)
		Files.writeString(data.resolve("upstreams.yaml"), "{}\n");
		Files.createSymbolicLink(directory.resolve("..data"), data.getFileName());
		Files.createSymbolicLink(directory.resolve("upstreams.yaml"), Path.of("..data", "upstreams.yaml"));
		registry.add("closewatch.upstream-files", () -> directory.resolve("*.yaml").toString());
	}

	@AfterEach
	void empty() throws IOException {
		swap("{}\n");
		await().atMost(Duration.ofSeconds(10)).until(() -> this.upstreams.names().isEmpty());
	}

	@Test
	void appliesAFileChangeLeavingEveryUnchangedConnectionAlone() throws IOException {
		swap(yaml(names(1, 20), Map.of()));
		awaitOpen(names(1, 20));
		Map<String, Instant> openSince = openSince(names(1, 20));

		// add 21-25, remove 1-5, change 6-10 (another path), relabel 11-12, keep 13-20
		StringBuilder next = new StringBuilder(yaml(names(13, 25), Map.of()));
		for (String name : names(6, 10)) {
			next.append(name)
				.append(":\n  url: ws://127.0.0.1:")
				.append(this.localPort)
				.append("/upstream/")
				.append(name)
				.append("?v=2\n");
		}
		for (String name : names(11, 12)) {
			next.append(name).append(":\n  url: ").append(url(name)).append("\n  labels: {team: payments}\n");
		}
		swap(next.toString());

		awaitOpen(names(21, 25));
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(names(6, 10))
				.allSatisfy((name) -> assertThat(this.server.opened(name)).isEqualTo(2)));
		for (String name : names(1, 5)) {
			assertThat(this.upstreams.contains(name)).isFalse();
			assertThat(this.server.open(name)).isZero();
			assertThat(this.server.lastClose(name)).isEqualTo("1000 removed");
			assertThat(lastClose(name)).satisfies((close) -> {
				assertThat(close.code()).isEqualTo(1000);
				assertThat(close.reason()).isEqualTo("removed");
				assertThat(close.initiator()).isEqualTo(Initiator.CLIENT);
				assertThat(close.error()).isEqualTo("removed");
				assertThat(close.wasClean()).isTrue();
			});
		}
		for (String name : names(6, 10)) {
			assertThat(this.server.lastClose(name)).isEqualTo("1000 reconfigured");
			assertThat(lastClose(name).error()).isEqualTo("reconfigured");
			assertThat(this.upstreams.status(name).orElseThrow().url()).endsWith("?v=2");
		}
		for (String name : names(11, 20)) {
			// the same connection: never closed, never reopened, open since the same
			// instant
			assertThat(this.server.opened(name)).as(name).isEqualTo(1);
			assertThat(this.server.open(name)).as(name).isEqualTo(1);
			assertThat(this.upstreams.status(name).orElseThrow().openSince()).isEqualTo(openSince.get(name));
			assertThat(findCloses(name)).isEmpty();
		}
		assertThat(this.upstreams.status("u011").orElseThrow().labels()).containsEntry("team", "payments");
	}

	@Test
	void keepsTheLastGoodSetWhenTheFileIsInvalidAndRecoversWhenItIsFixed() throws IOException {
		swap(yaml(names(1, 3), Map.of()));
		awaitOpen(names(1, 3));
		// closewatch may see OPEN before the server has counted the connection
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(names(1, 3))
				.allSatisfy((name) -> assertThat(this.server.open(name)).isEqualTo(1)));
		int opened = this.server.totalOpened();

		Map<String, String> broken = new java.util.LinkedHashMap<>();
		broken.put("u001:\n  url: [unclosed\n", "not valid YAML or JSON");
		broken.put(yaml(names(1, 3), Map.of()) + "u004:\n  url: http://x\n",
				"line 8: closewatch.upstreams.u004.url must use ws:// or wss://");
		broken.put(yaml(names(1, 3), Map.of()) + "u004:\n  url: ws://127.0.0.1:1/x\n  on-opem: hi\n",
				"closewatch.upstreams.u004.on-opem");
		broken.put(yaml(names(1, 2), Map.of()) + "u003:\n  url: ws://127.0.0.1:1/x\n  ping-interval: soon\n",
				"line 7: closewatch.upstreams.u003.ping-interval");
		broken.forEach((content, error) -> {
			swap(content);
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(state().error()).contains(file.toString()).contains(error));
			assertThat(state().successful()).isFalse();
			assertThat(this.upstreams.names()).containsExactlyElementsOf(names(1, 3));
			assertThat(this.server.totalOpened()).isEqualTo(opened);
			assertThat(names(1, 3)).allSatisfy((name) -> assertThat(this.server.open(name)).isEqualTo(1));
		});

		swap(yaml(names(1, 4), Map.of()));
		awaitOpen(names(1, 4));
		// the source's state is recorded once apply() returns, which may be after u004
		// opened
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(state().successful()).isTrue());
	}

	@Test
	void reportsADefinitionOfANameAnotherSourceOwns() throws IOException {
		this.sources.replace("api", Map.of());
		swap(yaml(names(1, 1), Map.of()));
		awaitOpen(names(1, 1));

		assertThat(this.files.reload(true)).singleElement().satisfies((result) -> assertThat(result.error()).isNull());
	}

	private UpstreamSources.SourceState state() {
		return this.sources.states()
			.stream()
			.filter((state) -> state.source().equals("file:" + file))
			.findFirst()
			.orElseThrow();
	}

	// what kubelet does: a new generation directory, then ..data swapped to it
	private static void swap(String content) {
		try {
			swapFiles(content);
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	private static void swapFiles(String content) throws IOException {
		Path data = Files.createTempDirectory(directory, "..gen");
		Files.writeString(data.resolve("upstreams.yaml"), content);
		Path link = directory.resolve("..data_tmp");
		Files.deleteIfExists(link);
		Files.createSymbolicLink(link, data.getFileName());
		Files.move(link, directory.resolve("..data"), StandardCopyOption.ATOMIC_MOVE,
				StandardCopyOption.REPLACE_EXISTING);
	}

	private String yaml(List<String> names, Map<String, String> labels) {
		return names.stream().map((name) -> name + ":\n  url: " + url(name) + "\n").collect(Collectors.joining());
	}

	private String url(String name) {
		return "ws://127.0.0.1:" + this.localPort + "/upstream/" + name;
	}

	private void awaitOpen(List<String> names) {
		await().atMost(Duration.ofSeconds(15))
			.untilAsserted(() -> assertThat(names).allSatisfy(
					(name) -> assertThat(this.upstreams.status(name).map(UpstreamStatus::state).orElse(null)).as(name)
						.isEqualTo(UpstreamState.OPEN)));
	}

	private Map<String, Instant> openSince(List<String> names) {
		return names.stream()
			.collect(Collectors.toMap((name) -> name, (name) -> this.upstreams.status(name).orElseThrow().openSince()));
	}

	private CloseEvent lastClose(String name) {
		await().atMost(Duration.ofSeconds(10)).until(() -> !findCloses(name).isEmpty());
		return findCloses(name).get(0);
	}

	private List<CloseEvent> findCloses(String name) {
		return this.history.find(new CloseEventQuery(name, null, null, null, null, null, 10));
	}

	private static List<String> names(int from, int to) {
		return IntStream.rangeClosed(from, to).mapToObj((n) -> String.format("u%03d", n)).toList();
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
