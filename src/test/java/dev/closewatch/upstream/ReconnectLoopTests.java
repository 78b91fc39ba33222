package dev.closewatch.upstream;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;

import dev.closewatch.closeevent.CloseEvent;
import dev.closewatch.reconnect.CloseRule;
import dev.closewatch.reconnect.ReconnectProperties;
import dev.closewatch.reconnect.ReconnectStrategy;
import dev.closewatch.reconnect.RuleAction;
import dev.closewatch.reconnect.RuleBasedReconnectPolicy;
import dev.closewatch.testserver.RawWebSocketServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reconnect loop against a real server: close rules, {@code Retry-After}, giving up
 * and resuming.
 */
class ReconnectLoopTests {

	@Test
	void givesUpOnAStopRuleAndResumesOnRequest() throws Exception {
		try (RawWebSocketServer server = new RawWebSocketServer(); UpstreamHarness harness = new UpstreamHarness()) {
			server.on("/auth", (peer) -> peer.respond("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n"));
			UpstreamConnection connection = harness.connection("auth",
					UpstreamHarness.upstream(server.url("/auth"), Map.of(), List.of(), null),
					policy(List.of(new CloseRule(null, List.of("401", "403"), RuleAction.STOP, null))));

			connection.start();
			CloseEvent first = harness.nextClose();
			assertThat(first.handshakeStatus()).isEqualTo(403);
			assertThat(connection.status().state()).isEqualTo(UpstreamState.GAVE_UP);
			assertThat(connection.status().nextAttemptAt()).isNull();

			assertThat(connection.resume()).isTrue();
			CloseEvent second = harness.nextClose();

			assertThat(second.id()).isGreaterThan(first.id());
			assertThat(second.attempt()).isEqualTo(1);
			assertThat(server.connections("/auth")).isEqualTo(2);
			assertThat(connection.status().state()).isEqualTo(UpstreamState.GAVE_UP);
			connection.stop(() -> {
			});
		}
	}

	@Test
	void waitsAtLeastRetryAfterOnA503() throws Exception {
		try (RawWebSocketServer server = new RawWebSocketServer(); UpstreamHarness harness = new UpstreamHarness()) {
			server.on("/busy", (peer) -> peer
				.respond("HTTP/1.1 503 Service Unavailable\r\nRetry-After: 3\r\nContent-Length: 0\r\n\r\n"));
			UpstreamConnection connection = harness.connection("busy",
					UpstreamHarness.upstream(server.url("/busy"), Map.of(), List.of(), null), policy(List.of()));

			connection.start();
			CloseEvent close = harness.nextClose();
			ReconnectScheduled scheduled = harness.next(ReconnectScheduled.class, Duration.ofSeconds(5));

			assertThat(close.handshakeStatus()).isEqualTo(503);
			assertThat(scheduled.delay()).isBetween(Duration.ofSeconds(3), Duration.ofMillis(3600));
			assertThat(connection.status().state()).isEqualTo(UpstreamState.WAITING_TO_RECONNECT);
			assertThat(connection.status().nextAttemptAt()).isEqualTo(scheduled.at());
			connection.stop(() -> {
			});
		}
	}

	@Test
	void startsTheAttemptCountOverAfterASessionLongerThanResetAfter() throws Exception {
		try (RawWebSocketServer server = new RawWebSocketServer(); UpstreamHarness harness = new UpstreamHarness()) {
			server.on("/long", (peer) -> {
				peer.upgrade();
				peer.hold(Duration.ofMillis(400));
				peer.close(1000, "long enough");
				peer.awaitClose();
				peer.fin();
			});
			server.on("/short", (peer) -> {
				peer.upgrade().close(1000, "too short");
				peer.awaitClose();
				peer.fin();
			});
			ReconnectProperties settings = new ReconnectProperties(Duration.ofMillis(50), 1.6, Duration.ofSeconds(1), 0,
					-1, Duration.ofMillis(300));
			UpstreamConnection longSessions = harness.connection("long",
					UpstreamHarness.upstream(server.url("/long"), Map.of(), List.of(), null),
					new RuleBasedReconnectPolicy(settings, new Random(1)));
			UpstreamConnection shortSessions = harness.connection("short",
					UpstreamHarness.upstream(server.url("/short"), Map.of(), List.of(), null),
					new RuleBasedReconnectPolicy(settings, new Random(1)));

			longSessions.start();
			shortSessions.start();
			List<ReconnectScheduled> scheduled = new java.util.ArrayList<>();
			while (scheduled.stream().filter((event) -> event.upstream().equals("long")).count() < 3) {
				scheduled.add(harness.next(ReconnectScheduled.class, Duration.ofSeconds(10)));
			}
			longSessions.stop(() -> {
			});
			shortSessions.stop(() -> {
			});

			assertThat(scheduled).filteredOn((event) -> event.upstream().equals("long"))
				.allSatisfy((event) -> assertThat(event.attempt()).isEqualTo(2));
			assertThat(scheduled).filteredOn((event) -> event.upstream().equals("short"))
				.extracting(ReconnectScheduled::attempt)
				.startsWith(2, 3, 4);
		}
	}

	private static RuleBasedReconnectPolicy policy(List<CloseRule> rules) {
		ReconnectProperties settings = new ReconnectProperties(Duration.ofMillis(100), 1.6, Duration.ofSeconds(1), 0.2,
				-1, Duration.ofSeconds(30), ReconnectStrategy.EXPONENTIAL, rules);
		return new RuleBasedReconnectPolicy(settings, new Random(5));
	}

}
