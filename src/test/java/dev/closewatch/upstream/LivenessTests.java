package dev.closewatch.upstream;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.closewatch.closeevent.CloseEvent;
import dev.closewatch.closeevent.Initiator;
import dev.closewatch.reconnect.ReconnectDecision;
import dev.closewatch.testserver.RawWebSocketServer;
import dev.closewatch.testserver.RawWebSocketServer.ClientFrame;
import dev.closewatch.testserver.RawWebSocketServer.Peer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dead links, silent upstreams and oversized messages, against a real server on
 * 127.0.0.1. The supervisor's sweep is replaced by a test loop calling
 * {@code checkLiveness} at the same tick.
 */
class LivenessTests {

	private RawWebSocketServer server;

	private UpstreamHarness harness;

	@BeforeEach
	void start() throws Exception {
		this.server = new RawWebSocketServer();
		this.harness = new UpstreamHarness();
	}

	@AfterEach
	void stop() throws Exception {
		this.harness.close();
		this.server.close();
	}

	@Test
	void abortsAHalfOpenConnectionWithinPingIntervalPlusPongTimeout() throws Exception {
		this.server.on("/half-open", (peer) -> {
			peer.upgrade();
			// reads and ignores every frame, pings included: the link looks dead
			peer.hold(Duration.ofSeconds(20));
		});
		ConnectionSettings.Liveness liveness = new ConnectionSettings.Liveness(Duration.ofMillis(400),
				Duration.ofMillis(400), Duration.ZERO, 4000, 1024 * 1024);
		UpstreamConnection connection = start("/half-open", liveness);
		UpstreamConnected opened = this.harness.next(UpstreamConnected.class, Duration.ofSeconds(5));

		CloseEvent event = sweepUntilClosed(connection, Duration.ofSeconds(5));

		assertThat(event.code()).isEqualTo(1006);
		assertThat(event.reason()).isEmpty();
		assertThat(event.wasClean()).isFalse();
		assertThat(event.errorEvent()).isFalse();
		assertThat(event.initiator()).isEqualTo(Initiator.CLIENT);
		assertThat(event.error()).isEqualTo("ping-timeout");
		assertThat(Duration.between(opened.openedAt(), event.closedAt())).isBetween(Duration.ofMillis(800),
				Duration.ofMillis(800 + 400));
	}

	@Test
	void closesASilentButAliveUpstreamAsStaleAndMeasuresPings() throws Exception {
		this.server.on("/silent", (peer) -> {
			peer.upgrade();
			ClientFrame close = peer.awaitClose();
			peer.close(close.closeCode(), "ok, stale");
			peer.fin();
		});
		ConnectionSettings.Liveness liveness = new ConnectionSettings.Liveness(Duration.ofMillis(200),
				Duration.ofSeconds(1), Duration.ofMillis(900), 4000, 1024 * 1024);
		UpstreamConnection connection = start("/silent", liveness);
		this.harness.next(UpstreamConnected.class, Duration.ofSeconds(5));

		CloseEvent event = sweepUntilClosed(connection, Duration.ofSeconds(5));

		assertThat(event.code()).isEqualTo(4000);
		assertThat(event.reason()).isEqualTo("ok, stale");
		assertThat(event.wasClean()).isTrue();
		assertThat(event.initiator()).isEqualTo(Initiator.CLIENT);
		assertThat(event.error()).isEqualTo("stale");
		assertThat(event.duration()).isGreaterThanOrEqualTo(Duration.ofMillis(900));
	}

	@Test
	void abortsAfterTheCloseTimeoutWhenAStaleUpstreamNeverAnswersTheClose() throws Exception {
		this.harness.close();
		this.harness = new UpstreamHarness().closeTimeout(Duration.ofMillis(500));
		this.server.on("/mute", (peer) -> {
			peer.upgrade();
			peer.hold(Duration.ofSeconds(10));
		});
		ConnectionSettings.Liveness liveness = new ConnectionSettings.Liveness(Duration.ZERO, Duration.ofSeconds(1),
				Duration.ofMillis(300), 4000, 1024 * 1024);
		UpstreamConnection connection = start("/mute", liveness);
		UpstreamConnected opened = this.harness.next(UpstreamConnected.class, Duration.ofSeconds(5));

		CloseEvent event = sweepUntilClosed(connection, Duration.ofSeconds(5));

		assertThat(event.code()).isEqualTo(1006);
		assertThat(event.wasClean()).isFalse();
		assertThat(event.initiator()).isEqualTo(Initiator.CLIENT);
		assertThat(event.error()).isEqualTo("close-timeout");
		assertThat(Duration.between(opened.openedAt(), event.closedAt()))
			.isGreaterThanOrEqualTo(Duration.ofMillis(800));
	}

	@Test
	void publishesThePingRoundTrip() throws Exception {
		this.server.on("/pong", (peer) -> {
			peer.upgrade();
			peer.awaitClose();
		});
		ConnectionSettings.Liveness liveness = new ConnectionSettings.Liveness(Duration.ofMillis(100),
				Duration.ofSeconds(2), Duration.ZERO, 4000, 1024 * 1024);
		UpstreamConnection connection = start("/pong", liveness);
		this.harness.next(UpstreamConnected.class, Duration.ofSeconds(5));

		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		PingMeasured ping = null;
		while (ping == null && System.nanoTime() < deadline) {
			connection.checkLiveness(java.time.Instant.now());
			ping = this.harness.drain()
				.stream()
				.filter(PingMeasured.class::isInstance)
				.map(PingMeasured.class::cast)
				.findFirst()
				.orElse(null);
			TimeUnit.MILLISECONDS.sleep(50);
		}

		assertThat(ping).isNotNull();
		assertThat(ping.upstream()).isEqualTo("liveness");
		assertThat(ping.roundTrip()).isPositive().isLessThan(Duration.ofSeconds(2));
		connection.stop(() -> {
		});
	}

	@Test
	void closesWithMessageTooBigOnAnOversizedSingleFrame() throws Exception {
		this.server.on("/big", (peer) -> {
			peer.upgrade().text("x".repeat(2048));
			peer.hold(Duration.ofSeconds(5));
		});
		CloseEvent event = closeAfterStart("/big", 1024);

		assertThatClosedAsTooBig(event);
	}

	@Test
	void closesWithMessageTooBigOnAnOversizedFragmentedMessage() throws Exception {
		byte[] fragment = new byte[600];
		Arrays.fill(fragment, (byte) 'y');
		this.server.on("/fragments", (peer) -> {
			peer.upgrade().frame(false, 0x1, fragment, false).frame(true, 0x0, fragment, false);
			peer.hold(Duration.ofSeconds(5));
		});
		CloseEvent event = closeAfterStart("/fragments", 1024);

		assertThatClosedAsTooBig(event);
	}

	@Test
	void acceptsMessagesUpToTheLimit() throws Exception {
		this.server.on("/fits", (peer) -> {
			peer.upgrade().text("z".repeat(1024)).close(1000, "done");
			peer.awaitClose();
			peer.fin();
		});
		CloseEvent event = closeAfterStart("/fits", 1024);

		assertThat(event.code()).isEqualTo(1000);
		assertThat(event.messagesReceived()).isEqualTo(1);
	}

	@Test
	void keepsAQuietUpstreamOpenForMoreThanAMinuteWithLivenessOff() throws Exception {
		this.server.on("/quiet", (peer) -> {
			peer.upgrade();
			peer.hold(Duration.ofSeconds(90));
		});
		UpstreamConnection connection = start("/quiet", ConnectionSettings.Liveness.OFF);
		this.harness.next(UpstreamConnected.class, Duration.ofSeconds(5));

		// Jetty's default idle timeout would have closed it with 1001 after 30 s
		assertThat(this.harness.drain()).isEmpty();
		org.awaitility.Awaitility.await()
			.pollDelay(Duration.ofSeconds(61))
			.atMost(Duration.ofSeconds(70))
			.untilAsserted(() -> assertThat(connection.status().state()).isEqualTo(UpstreamState.OPEN));
		assertThat(this.harness.drain()).noneMatch(CloseEvent.class::isInstance);
		connection.stop(() -> {
		});
	}

	private UpstreamConnection start(String path, ConnectionSettings.Liveness liveness) {
		UpstreamConnection connection = this.harness.connection("liveness",
				UpstreamHarness.upstream(this.server.url(path), Map.of(), List.of(), null),
				(retry, last, retryAfter) -> ReconnectDecision.giveUp("test"), liveness);
		connection.start();
		return connection;
	}

	private CloseEvent closeAfterStart(String path, long maxMessageSize) throws InterruptedException {
		start(path, new ConnectionSettings.Liveness(Duration.ZERO, Duration.ofSeconds(10), Duration.ZERO, 4000,
				maxMessageSize));
		return this.harness.nextClose();
	}

	private CloseEvent sweepUntilClosed(UpstreamConnection connection, Duration timeout) throws Exception {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			connection.checkLiveness(java.time.Instant.now());
			CloseEvent event = this.harness.drain()
				.stream()
				.filter(CloseEvent.class::isInstance)
				.map(CloseEvent.class::cast)
				.findFirst()
				.orElse(null);
			if (event != null) {
				return event;
			}
			TimeUnit.MILLISECONDS.sleep(50);
		}
		throw new AssertionError("no close within " + timeout);
	}

	private static void assertThatClosedAsTooBig(CloseEvent event) {
		assertThat(event.code()).isEqualTo(1009);
		assertThat(event.reason()).isEqualTo("Message too big");
		assertThat(event.wasClean()).isFalse();
		assertThat(event.initiator()).isEqualTo(Initiator.CLIENT);
		assertThat(event.error()).isEqualTo("message-too-big");
	}

}
