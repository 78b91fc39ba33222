package dev.closewatch.cluster;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.closewatch.CloseWatchApplication;
import dev.closewatch.closeevent.CloseEvent;
import dev.closewatch.history.CloseEventHistory;
import dev.closewatch.history.CloseEventQuery;
import dev.closewatch.testserver.EmbeddedPostgresServer;
import dev.closewatch.testserver.EmbeddedPostgresServer.Database;
import dev.closewatch.testserver.RawWebSocketServer;
import dev.closewatch.upstream.Upstreams;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two real closewatch contexts on one PostgreSQL and one upstream server, counted from
 * the server's side: every upstream is connected by exactly one of them, and when one
 * shuts down the other takes its upstreams over, opening each before the leaving one
 * closes it (no moment without a connection).
 */
class TwoReplicasTests {

	private static final int UPSTREAMS = 40;

	private final RawWebSocketServer server;

	// upstream path -> connections open now, as the server counts them
	private final Map<String, AtomicInteger> open = new ConcurrentHashMap<>();

	private final AtomicInteger maxOpen = new AtomicInteger();

	// upstream path -> when its last connection ended, while none is open
	private final Map<String, Long> downSince = new ConcurrentHashMap<>();

	private final AtomicLong longestGapMillis = new AtomicLong();

	// connections open now to the upstream one replica defines through the API
	private final AtomicInteger addedOpen = new AtomicInteger();

	private final List<ConfigurableApplicationContext> replicas = new ArrayList<>();

	private final HttpClient http = HttpClient.newHttpClient();

	private final JsonMapper mapper = JsonMapper.builder().build();

	TwoReplicasTests() throws Exception {
		this.server = new RawWebSocketServer();
		this.server.on("/added", this::onAdded);
		for (int i = 0; i < UPSTREAMS; i++) {
			String path = "/u" + i;
			this.server.on(path, (peer) -> {
				int now = this.open.computeIfAbsent(path, (p) -> new AtomicInteger()).incrementAndGet();
				this.maxOpen.accumulateAndGet(now, Math::max);
				Long down = this.downSince.remove(path);
				if (now == 1 && down != null) {
					this.longestGapMillis.accumulateAndGet((System.nanoTime() - down) / 1_000_000, Math::max);
				}
				try {
					serveUntilClosed(peer);
				}
				finally {
					if (this.open.get(path).decrementAndGet() == 0) {
						this.downSince.put(path, System.nanoTime());
					}
				}
			});
		}
	}

	private void onAdded(RawWebSocketServer.Peer peer) throws Exception {
		this.addedOpen.incrementAndGet();
		try {
			serveUntilClosed(peer);
		}
		finally {
			this.addedOpen.decrementAndGet();
		}
	}

	private static void serveUntilClosed(RawWebSocketServer.Peer peer) throws Exception {
		peer.upgrade();
		RawWebSocketServer.ClientFrame close = peer.awaitClose();
		if (close != null) {
			// a well-behaved server echoes the client's Close
			peer.closeRaw(close.payload());
		}
	}

	@AfterEach
	void stop() throws Exception {
		this.replicas.forEach(ConfigurableApplicationContext::close);
		this.server.close();
	}

	@Test
	void connectsEveryUpstreamFromExactlyOneReplicaAndHandsOverOnShutdown() throws Exception {
		Database database = EmbeddedPostgresServer.newDatabase("two_replicas");
		ConfigurableApplicationContext a = start(database, "a");
		ConfigurableApplicationContext b = start(database, "b");

		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			assertThat(openUpstreams()).isEqualTo(UPSTREAMS);
			assertThat(this.open.values()).allSatisfy((count) -> assertThat(count.get()).isEqualTo(1));
			assertThat(names(b)).as("b's share").isNotEmpty();
			assertThat(names(a)).as("a's share").isNotEmpty().doesNotContainAnyElementsOf(names(b));
			assertThat(names(a).size() + names(b).size()).isEqualTo(UPSTREAMS);
		});
		List<String> aNames = names(a);
		List<String> bNames = names(b);

		// one view of the cluster from either replica, read from PostgreSQL
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			JsonNode cluster = json(a, "/api/v1/cluster");
			assertThat(cluster.get("member").asString()).isEqualTo("a");
			assertThat(cluster.get("shards").asInt()).isEqualTo(1024);
			assertThat(cluster.get("unowned").asInt()).isZero();
			assertThat(cluster.get("members").valueStream().map((member) -> member.get("id").asString()))
				.containsExactly("a", "b");
			assertThat(cluster.get("members").get(0).get("self").asBoolean()).isTrue();
			assertThat(cluster.get("members").get(0).get("shards").asInt()
					+ cluster.get("members").get(1).get("shards").asInt())
				.isEqualTo(1024);
		});
		String ofB = bNames.get(0);
		assertThat(json(a, "/api/v1/cluster/upstreams/" + ofB).get("owner").asString()).isEqualTo("b");
		assertThat(json(b, "/api/v1/cluster/upstreams/" + ofB).get("here").asBoolean()).isTrue();
		assertThat(send(a, "/api/v1/cluster/upstreams/nowhere").statusCode()).isEqualTo(404);
		// every upstream from either replica, each with its owner and the owner's state
		// (published at most a publish-interval ago)
		for (ConfigurableApplicationContext replica : List.of(a, b)) {
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				JsonNode page = json(replica, "/api/v1/upstreams?limit=1000");
				assertThat(page.get("total").asInt()).isEqualTo(UPSTREAMS);
				assertThat(page.get("items").valueStream())
					.allSatisfy((upstream) -> assertThat(upstream.get("state").asString()).isEqualTo("OPEN"));
				assertThat(page.get("items")
					.valueStream()
					.filter((upstream) -> upstream.get("owner").asString().equals("b"))
					.map((upstream) -> upstream.get("name").asString())).containsExactlyInAnyOrderElementsOf(bNames);
			});
		}
		assertThat(json(a, "/api/v1/upstreams?limit=1000&owner=a").get("total").asInt()).isEqualTo(aNames.size());
		JsonNode fromA = json(a, "/api/v1/upstreams/" + ofB);
		assertThat(fromA.get("owner").asString()).isEqualTo("b");
		assertThat(fromA.get("state").asString()).isEqualTo("OPEN");
		assertThat(fromA.get("openSince").asString())
			.isEqualTo(json(b, "/api/v1/upstreams/" + ofB).get("openSince").asString());
		HttpResponse<String> notHere = send(a, "/api/v1/upstreams/" + ofB + "/reconnect", "POST", null);
		assertThat(notHere.statusCode()).isEqualTo(404);
		assertThat(notHere.body()).contains("\"owner\":\"b\"", "is watched by replica 'b'");

		// the first split was a handover too: b opened what a offered before a closed it
		assertThat(this.longestGapMillis.get()).as("longest gap while b joined, ms").isLessThan(1000);
		System.out.println("TwoReplicasTests: longest gap while b joined " + this.longestGapMillis.get() + " ms");
		// an upstream defined through one replica's API is watched by exactly one of them
		// and listed by both; removed through the other, it closes
		HttpResponse<String> put = send(a, "/api/v1/upstreams/added", "PUT",
				"{\"url\": \"" + this.server.url("/added") + "\"}");
		assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(this.addedOpen.get()).isEqualTo(1);
			assertThat(json(b, "/api/v1/upstreams/added").get("state").asString()).isEqualTo("OPEN");
			assertThat(json(a, "/api/v1/upstreams?limit=1").get("total").asInt()).isEqualTo(UPSTREAMS + 1);
		});
		assertThat(send(b, "/api/v1/upstreams/added", "DELETE", null).statusCode()).isEqualTo(204);
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(this.addedOpen.get()).isZero();
			assertThat(send(a, "/api/v1/upstreams/added").statusCode()).isEqualTo(404);
		});
		this.longestGapMillis.set(0);
		this.maxOpen.set(0);

		a.close();

		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			assertThat(names(b)).hasSize(UPSTREAMS);
			assertThat(openUpstreams()).isEqualTo(UPSTREAMS);
			assertThat(this.open.values()).allSatisfy((count) -> assertThat(count.get()).isEqualTo(1));
		});
		// make-before-break: b opened each of a's upstreams before a closed it
		assertThat(this.downSince).isEmpty();
		assertThat(this.longestGapMillis.get()).isZero();
		assertThat(this.maxOpen.get()).isEqualTo(2);
		// the history both wrote to, read from b: a handed each of its upstreams over
		// on shutdown, once b had opened it; the only other handoffs are those of the
		// first split, of b's upstreams, and nothing closed with the shutdown
		CloseEventHistory history = b.getBean(CloseEventHistory.class);
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			List<CloseEvent> closes = history.find(new CloseEventQuery(null, null, null, null, null, null, 1000));
			assertThat(closes).filteredOn((event) -> "shutdown".equals(event.error())).isEmpty();
			List<CloseEvent> handoffs = closes.stream().filter((event) -> "handoff".equals(event.error())).toList();
			assertThat(handoffs).allSatisfy((event) -> assertThat(event.code()).isEqualTo(1001));
			assertThat(handoffs).filteredOn((event) -> aNames.contains(event.upstream()))
				.extracting(CloseEvent::upstream)
				.containsExactlyInAnyOrderElementsOf(aNames);
			assertThat(handoffs).filteredOn((event) -> !aNames.contains(event.upstream()))
				.extracting(CloseEvent::upstream)
				.doesNotHaveDuplicates()
				.isSubsetOf(bNames);
		});
	}

	private JsonNode json(ConfigurableApplicationContext replica, String path) throws Exception {
		HttpResponse<String> response = send(replica, path);
		assertThat(response.statusCode()).as(path).isEqualTo(200);
		return this.mapper.readTree(response.body());
	}

	private HttpResponse<String> send(ConfigurableApplicationContext replica, String path) throws Exception {
		return send(replica, path, "GET", null);
	}

	private HttpResponse<String> send(ConfigurableApplicationContext replica, String path, String method,
			@Nullable String json) throws Exception {
		String port = replica.getEnvironment().getProperty("local.server.port");
		return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.method(method,
					(json != null) ? HttpRequest.BodyPublishers.ofString(json) : HttpRequest.BodyPublishers.noBody())
			.header("Content-Type", "application/json")
			.header("Authorization", "Bearer test-admin-token")
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private int openUpstreams() {
		return (int) this.open.values().stream().filter((count) -> count.get() > 0).count();
	}

	private static List<String> names(ConfigurableApplicationContext replica) {
		return replica.getBean(Upstreams.class).names();
	}

	private ConfigurableApplicationContext start(Database database, String member) {
		List<String> arguments = new ArrayList<>(
				List.of("--server.port=0", "--server.address=127.0.0.1", "--closewatch.cluster.enabled=true",
						"--closewatch.cluster.member-id=" + member, "--closewatch.cluster.lease-ttl=4s",
						"--closewatch.cluster.renew-interval=500ms", "--closewatch.cluster.publish-interval=200ms",
						"--closewatch.api.admin-token=test-admin-token", "--closewatch.startup-spread=0s",
						"--closewatch.reconnect.delay=200ms", "--closewatch.reconnect.max-delay=1s"));
		Arrays.stream(database.springProperties()).map((property) -> "--" + property).forEach(arguments::add);
		for (int i = 0; i < UPSTREAMS; i++) {
			arguments.add("--closewatch.upstreams.u" + i + ".url=" + this.server.url("/u" + i));
		}
		ConfigurableApplicationContext context = new SpringApplicationBuilder(CloseWatchApplication.class)
			.run(arguments.toArray(String[]::new));
		this.replicas.add(context);
		return context;
	}

}
