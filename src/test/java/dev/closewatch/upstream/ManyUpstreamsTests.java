package dev.closewatch.upstream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.closewatch.closeevent.CloseEvent;
import dev.closewatch.closeevent.Initiator;
import dev.closewatch.testserver.RawWebSocketServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 500 upstreams against a server that closes each of them every second or so: every close
 * the server makes is recorded exactly once, none is lost or duplicated, and the shutdown
 * closes are recorded too.
 */
class ManyUpstreamsTests {

	private static final int UPSTREAMS = 500;

	@Test
	void recordsEveryCloseOfFiveHundredUpstreamsExactlyOnce() throws Exception {
		AtomicInteger sequence = new AtomicInteger();
		Set<String> sentByServer = ConcurrentHashMap.newKeySet();
		AtomicBoolean closing = new AtomicBoolean(true);
		try (RawWebSocketServer server = new RawWebSocketServer(); UpstreamHarness harness = new UpstreamHarness()) {
			server.on("/feed", (peer) -> {
				peer.upgrade();
				if (!peer.awaitEof(Duration.ofMillis(ThreadLocalRandom.current().nextInt(300, 1500)))
						&& closing.get()) {
					String reason = "close-" + sequence.incrementAndGet();
					peer.close(4000, reason);
					sentByServer.add(reason);
					peer.awaitClose();
					peer.fin();
				}
				else {
					peer.hold(Duration.ofSeconds(60));
				}
			});
			List<UpstreamConnection> connections = new ArrayList<>();
			for (int i = 0; i < UPSTREAMS; i++) {
				connections.add(harness.connection("feed-" + i,
						UpstreamHarness.upstream(server.url("/feed"), Map.of(), List.of(), null),
						(retry) -> Optional.of(Duration.ofMillis(50))));
			}
			connections.forEach(UpstreamConnection::start);
			waitUntil(() -> sequence.get() >= 2 * UPSTREAMS, Duration.ofSeconds(60));
			closing.set(false);
			List<CloseEvent> events = new ArrayList<>();
			waitUntil(() -> {
				events.addAll(closeEvents(harness));
				return reasons(events).size() == sentByServer.size()
						&& connections.stream().allMatch((c) -> c.status().state() == UpstreamState.OPEN);
			}, Duration.ofSeconds(30));
			CountDownLatch stopped = new CountDownLatch(UPSTREAMS);
			connections.forEach((connection) -> connection.stop(stopped::countDown));
			assertThat(stopped.await(30, TimeUnit.SECONDS)).isTrue();

			List<CloseEvent> shutdown = closeEvents(harness);

			Set<Long> ids = new HashSet<>();
			events.forEach((event) -> assertThat(ids.add(event.id())).as("duplicate id %s", event.id()).isTrue());
			shutdown.forEach((event) -> assertThat(ids.add(event.id())).as("duplicate id %s", event.id()).isTrue());
			List<String> recorded = reasons(events);
			assertThat(recorded).doesNotHaveDuplicates();
			assertThat(new HashSet<>(recorded)).isEqualTo(sentByServer);
			assertThat(events).allSatisfy((event) -> {
				assertThat(event.initiator()).isEqualTo(Initiator.SERVER);
				assertThat(event.code()).isEqualTo(4000);
				assertThat(event.wasClean()).isTrue();
			});
			assertThat(shutdown).hasSize(UPSTREAMS).allSatisfy((event) -> assertThat(event.code()).isEqualTo(1001));
			assertThat(shutdown.stream().map(CloseEvent::upstream).distinct()).hasSize(UPSTREAMS);
			assertThat(connections)
				.allSatisfy((connection) -> assertThat(connection.status().state()).isEqualTo(UpstreamState.STOPPED));
		}
	}

	private static List<CloseEvent> closeEvents(UpstreamHarness harness) {
		return harness.drain().stream().filter(CloseEvent.class::isInstance).map(CloseEvent.class::cast).toList();
	}

	private static List<String> reasons(List<CloseEvent> events) {
		return events.stream().map(CloseEvent::reason).toList();
	}

	private static void waitUntil(java.util.function.BooleanSupplier condition, Duration timeout) {
		org.awaitility.Awaitility.await().atMost(timeout).until(condition::getAsBoolean);
	}

}
