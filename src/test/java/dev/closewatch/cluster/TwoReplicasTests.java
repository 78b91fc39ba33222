package dev.closewatch.cluster;

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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

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

	private final List<ConfigurableApplicationContext> replicas = new ArrayList<>();

	TwoReplicasTests() throws Exception {
		this.server = new RawWebSocketServer();
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
					peer.upgrade();
					RawWebSocketServer.ClientFrame close = peer.awaitClose();
					if (close != null) {
						// a well-behaved server echoes the client's Close
						peer.closeRaw(close.payload());
					}
				}
				finally {
					if (this.open.get(path).decrementAndGet() == 0) {
						this.downSince.put(path, System.nanoTime());
					}
				}
			});
		}
	}

	@AfterEach
	void stop() throws Exception {
		this.replicas.forEach(ConfigurableApplicationContext::close);
		this.server.close();
	}

	@Test
	void connectsEveryUpstreamFromExactlyOneReplicaAndHandsOverOnShutdown() {
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

		// the first split was a handover too: b opened what a offered before a closed it
		assertThat(this.longestGapMillis.get()).as("longest gap while b joined, ms").isLessThan(1000);
		System.out.println("TwoReplicasTests: longest gap while b joined " + this.longestGapMillis.get() + " ms");
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
		// the history both wrote to, read from b: a's shutdown closed each of its
		// upstreams
		// once; the only other closes are the handoffs of the first split, of b's
		// upstreams
		CloseEventHistory history = b.getBean(CloseEventHistory.class);
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			List<CloseEvent> closes = history.find(new CloseEventQuery(null, null, null, null, null, null, 1000));
			assertThat(closes).filteredOn((event) -> "shutdown".equals(event.error()))
				.extracting(CloseEvent::upstream)
				.containsExactlyInAnyOrderElementsOf(aNames);
			assertThat(closes).filteredOn((event) -> "handoff".equals(event.error()))
				.allSatisfy((event) -> assertThat(event.code()).isEqualTo(1001))
				.extracting(CloseEvent::upstream)
				.doesNotHaveDuplicates()
				.isSubsetOf(bNames);
		});
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
						"--closewatch.cluster.renew-interval=500ms", "--closewatch.startup-spread=0s",
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
