package dev.closewatch.upstream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.closewatch.reconnect.ReconnectProperties;
import dev.closewatch.reconnect.RuleBasedReconnectPolicy;
import dev.closewatch.testserver.RawWebSocketServer;
import dev.closewatch.testserver.RawWebSocketServer.Peer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A server restart drops 2,000 upstreams at once: they all come back, and the server
 * never sees more opening handshakes at a time than {@code max-concurrent-handshakes}.
 */
class ReconnectStormTests {

	private static final int UPSTREAMS = 2000;

	private static final int CAP = 32;

	@Test
	void bringsTwoThousandDroppedUpstreamsBackWithinTheHandshakeCap() throws Exception {
		AtomicInteger handshaking = new AtomicInteger();
		AtomicInteger peak = new AtomicInteger();
		Queue<Peer> live = new ConcurrentLinkedQueue<>();
		try (RawWebSocketServer server = new RawWebSocketServer();
				UpstreamHarness harness = new UpstreamHarness().maxConcurrentHandshakes(CAP)) {
			server.on("/storm", (peer) -> {
				peak.accumulateAndGet(handshaking.incrementAndGet(), Math::max);
				try {
					peer.hold(Duration.ofMillis(2));
				}
				finally {
					// before the 101 is written: once the client has read it, its gate
					// lets
					// the next handshake in, which may reach this server before this
					// thread
					// would count this one as done
					handshaking.decrementAndGet();
				}
				peer.upgrade();
				live.add(peer);
				peer.hold(Duration.ofSeconds(120));
			});
			ReconnectProperties settings = new ReconnectProperties(Duration.ofMillis(200), 1.6, Duration.ofSeconds(2),
					0.2, -1, Duration.ofSeconds(30));
			List<UpstreamConnection> connections = new ArrayList<>();
			for (int i = 0; i < UPSTREAMS; i++) {
				connections.add(harness.connection("storm-" + i,
						UpstreamHarness.upstream(server.url("/storm"), Map.of(), List.of(), null),
						new RuleBasedReconnectPolicy(settings, new Random(i))));
			}
			connections.forEach(UpstreamConnection::start);
			await().atMost(Duration.ofSeconds(90)).until(() -> allOpen(connections));
			peak.set(0);

			long dropped = System.nanoTime();
			List<Peer> toDrop = new ArrayList<>(live);
			live.clear();
			for (Peer peer : toDrop) {
				peer.reset();
			}
			await().atMost(Duration.ofSeconds(5)).until(() -> noneOpen(connections) || live.size() > 0);
			await().atMost(Duration.ofSeconds(90)).until(() -> allOpen(connections));
			long backMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - dropped);

			System.out.printf(
					"storm: %d upstreams dropped at once, all open again after %d ms, "
							+ "peak concurrent handshakes seen by the server %d (client gate %d, cap %d)%n",
					UPSTREAMS, backMillis, peak.get(), harness.gate().peak(), CAP);
			assertThat(toDrop).hasSize(UPSTREAMS);
			assertThat(peak.get()).isPositive().isLessThanOrEqualTo(CAP);
			assertThat(harness.gate().peak()).isLessThanOrEqualTo(CAP);
			assertThat(server.connections("/storm")).isGreaterThanOrEqualTo(2 * UPSTREAMS);
			CountDownLatch stopped = new CountDownLatch(UPSTREAMS);
			connections.forEach((connection) -> connection.stop(stopped::countDown));
			assertThat(stopped.await(30, TimeUnit.SECONDS)).isTrue();
		}
	}

	private static boolean allOpen(List<UpstreamConnection> connections) {
		return connections.stream().allMatch((c) -> c.status().state() == UpstreamState.OPEN);
	}

	private static boolean noneOpen(List<UpstreamConnection> connections) {
		return connections.stream().noneMatch((c) -> c.status().state() == UpstreamState.OPEN);
	}

}
