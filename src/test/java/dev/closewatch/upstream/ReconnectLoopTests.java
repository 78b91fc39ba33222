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

	private static RuleBasedReconnectPolicy policy(List<CloseRule> rules) {
		ReconnectProperties settings = new ReconnectProperties(Duration.ofMillis(100), 1.6, Duration.ofSeconds(1), 0.2,
				-1, Duration.ofSeconds(30), ReconnectStrategy.EXPONENTIAL, rules);
		return new RuleBasedReconnectPolicy(settings, new Random(5));
	}

}
