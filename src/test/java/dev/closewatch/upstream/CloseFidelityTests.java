package dev.closewatch.upstream;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.closewatch.closeevent.CloseEvent;
import dev.closewatch.closeevent.Initiator;
import dev.closewatch.closeevent.Phase;
import dev.closewatch.reconnect.ReconnectDecision;
import dev.closewatch.testserver.RawWebSocketServer;
import dev.closewatch.testserver.RawWebSocketServer.ClientFrame;
import dev.closewatch.testserver.RawWebSocketServer.Peer;
import dev.closewatch.testserver.RawWebSocketServer.Script;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every close a server can cause, recorded as Chromium's {@code CloseEvent} would report
 * it ({@code close-semantics.md} §3), against a raw-socket server on 127.0.0.1.
 */
class CloseFidelityTests {

	private static RawWebSocketServer server;

	private static final AtomicInteger paths = new AtomicInteger();

	private UpstreamHarness harness;

	@BeforeAll
	static void startServer() throws IOException {
		server = new RawWebSocketServer();
	}

	@AfterAll
	static void stopServer() throws IOException {
		server.close();
	}

	@BeforeEach
	void startHarness() throws Exception {
		this.harness = new UpstreamHarness().closeTimeout(Duration.ofSeconds(1));
	}

	@AfterEach
	void stopHarness() throws Exception {
		this.harness.close();
	}

	private CloseEvent closeAfter(Script script) throws InterruptedException {
		String path = "/s" + paths.incrementAndGet();
		server.on(path, script);
		this.harness.connection("fidelity", server.url(path)).start();
		return this.harness.nextClose();
	}

	private static Script closesWith(int code, String reason) {
		return (peer) -> {
			peer.upgrade().close(code, reason);
			peer.awaitClose();
			peer.fin();
		};
	}

	@Nested
	class ValidCloseFrames {

		@ParameterizedTest
		@ValueSource(ints = { 1000, 1001, 1003, 1008, 1011, 1012, 1013, 1014, 3000, 4000, 4999 })
		void recordsCodeAndReasonAsClean(int code) throws Exception {
			CloseEvent event = closeAfter(closesWith(code, "reason " + code));

			assertThat(event.code()).isEqualTo(code);
			assertThat(event.reason()).isEqualTo("reason " + code);
			assertThat(event.wasClean()).isTrue();
			assertThat(event.errorEvent()).isFalse();
			assertThat(event.initiator()).isEqualTo(Initiator.SERVER);
			assertThat(event.phase()).isEqualTo(Phase.CLOSING);
			assertThat(event.error()).isNull();
			assertThat(event.wireCode()).isNull();
			assertThat(event.openedAt()).isNotNull();
			assertThat(event.handshakeStatus()).isNull();
		}

		@ParameterizedTest
		@ValueSource(ints = { 999, 1004, 1016, 2999, 5000, 65535 })
		void recordsCodesJettyRejectsButBrowsersAcceptVerbatim(int code) throws Exception {
			CloseEvent event = closeAfter(closesWith(code, "unusual"));

			assertThat(event.code()).isEqualTo(code);
			assertThat(event.reason()).isEqualTo("unusual");
			assertThat(event.wasClean()).isTrue();
			assertThat(event.errorEvent()).isFalse();
			assertThat(event.initiator()).isEqualTo(Initiator.SERVER);
			assertThat(event.wireCode()).isNull();
		}

		@Test
		void recordsEmptyCloseBodyAsNoStatusReceived() throws Exception {
			CloseEvent event = closeAfter((peer) -> {
				peer.upgrade().closeRaw(new byte[0]);
				peer.awaitClose();
				peer.fin();
			});

			assertThat(event.code()).isEqualTo(1005);
			assertThat(event.reason()).isEmpty();
			assertThat(event.wasClean()).isTrue();
			assertThat(event.errorEvent()).isFalse();
		}

		@Test
		void recordsLongestPossibleUtf8Reason() throws Exception {
			String reason = "é".repeat(61) + "a";
			assertThat(reason.getBytes(StandardCharsets.UTF_8)).hasSize(123);

			CloseEvent event = closeAfter(closesWith(1000, reason));

			assertThat(event.code()).isEqualTo(1000);
			assertThat(event.reason()).isEqualTo(reason);
			assertThat(event.wasClean()).isTrue();
		}

		@Test
		void staysCleanWhenServerClosesWithoutWaitingForTheReply() throws Exception {
			CloseEvent event = closeAfter((peer) -> {
				peer.upgrade().close(1000, "immediate");
				peer.fin();
			});

			assertThat(event.code()).isEqualTo(1000);
			assertThat(event.reason()).isEqualTo("immediate");
			assertThat(event.wasClean()).isTrue();
		}

		@Test
		void closesTheConnectionItselfWhenServerNeverSendsFin() throws Exception {
			BlockingQueue<Boolean> sawEof = new LinkedBlockingQueue<>();
			long start = System.nanoTime();

			CloseEvent event = closeAfter((peer) -> {
				peer.upgrade().close(1000, "lingering");
				peer.awaitClose();
				sawEof.add(peer.awaitEof(Duration.ofSeconds(10)));
			});
			long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

			assertThat(event.code()).isEqualTo(1000);
			assertThat(event.reason()).isEqualTo("lingering");
			assertThat(event.wasClean()).isTrue();
			assertThat(sawEof.poll(5, TimeUnit.SECONDS)).isTrue();
			assertThat(elapsedMillis).isLessThan(5000);
		}

		@Test
		void waitsForTheServerToCloseTcpNoLongerThanTheTcpCloseTimeout() throws Exception {
			CloseFidelityTests.this.harness.close();
			CloseFidelityTests.this.harness = new UpstreamHarness().tcpCloseTimeout(Duration.ofMillis(700));
			long start = System.nanoTime();

			CloseEvent event = closeAfter((peer) -> {
				peer.upgrade().close(1000, "lingering");
				peer.awaitClose();
				peer.hold(Duration.ofSeconds(10));
			});
			long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

			assertThat(event.wasClean()).isTrue();
			assertThat(elapsedMillis).isBetween(700L, 5000L);
		}

		@Test
		void recordsCloseFrameThenResetAsNotClean() throws Exception {
			CloseEvent event = closeAfter((peer) -> {
				peer.upgrade().close(1001, "reset");
				peer.reset();
			});

			assertThat(event.code()).isEqualTo(1001);
			assertThat(event.reason()).isEqualTo("reset");
			assertThat(event.wasClean()).isFalse();
			assertThat(event.errorEvent()).isFalse();
			assertThat(event.initiator()).isEqualTo(Initiator.SERVER);
			assertThat(event.phase()).isEqualTo(Phase.CLOSING);
			assertThat(event.error()).startsWith("connection-");
			assertThat(event.wireCode()).isNull();
		}

		@Test
		void recordsResetAfterTheClosingHandshakeAsNotClean() throws Exception {
			CloseEvent event = closeAfter((peer) -> {
				peer.upgrade().close(1000, "bye");
				peer.awaitClose();
				peer.reset();
			});

			assertThat(event.code()).isEqualTo(1000);
			assertThat(event.reason()).isEqualTo("bye");
			assertThat(event.wasClean()).isFalse();
			assertThat(event.errorEvent()).isFalse();
			assertThat(event.error()).isEqualTo("connection-reset");
		}

		@Test
		void recordsResetAfterACloseCodeJettyRejectsAsNotClean() throws Exception {
			CloseEvent event = closeAfter((peer) -> {
				peer.upgrade().close(4999 + 1, "unusual");
				peer.awaitClose();
				peer.reset();
			});

			assertThat(event.code()).isEqualTo(5000);
			assertThat(event.reason()).isEqualTo("unusual");
			assertThat(event.wasClean()).isFalse();
			assertThat(event.errorEvent()).isFalse();
		}

		@Test
		void countsMessagesReceivedBeforeTheClose() throws Exception {
			CloseEvent event = closeAfter((peer) -> {
				peer.upgrade().text("one").text("two");
				peer.frame(false, 0x1, "thr".getBytes(StandardCharsets.UTF_8), false);
				peer.frame(true, 0x0, "ee".getBytes(StandardCharsets.UTF_8), false);
				peer.frame(true, 0x9, "ping".getBytes(StandardCharsets.UTF_8), false);
				ClientFrame pong = peer.readFrame();
				assertThat(pong.opcode()).isEqualTo(0xA);
				peer.close(1000, "done");
				peer.awaitClose();
				peer.fin();
			});

			assertThat(event.messagesReceived()).isEqualTo(3);
			assertThat(event.code()).isEqualTo(1000);
		}

	}

	@Nested
	class InvalidCloseFrames {

		@Test
		void failsOnOneByteCloseBody() throws Exception {
			CloseEvent event = closeAfter((peer) -> {
				peer.upgrade().closeRaw(new byte[] { 0x03 });
				peer.hold(Duration.ofSeconds(5));
			});

			assertThatFailedAsBrowserWould(event);
			assertThat(event.initiator()).isEqualTo(Initiator.SERVER);
			assertThat(event.error()).isEqualTo("protocol-error");
			assertThat(event.errorMessage()).contains("1-byte");
			assertThat(event.wireCode()).isNull();
		}

		@ParameterizedTest
		@ValueSource(ints = { 1005, 1006, 1015 })
		void failsOnLocalOnlyCodeOnTheWire(int code) throws Exception {
			CloseEvent event = closeAfter((peer) -> {
				peer.upgrade().close(code, "not on the wire");
				peer.hold(Duration.ofSeconds(5));
			});

			assertThatFailedAsBrowserWould(event);
			assertThat(event.error()).isEqualTo("protocol-error");
			assertThat(event.wireCode()).isEqualTo(code);
			assertThat(event.wireReason()).isEqualTo("not on the wire");
		}

		@Test
		void failsOnInvalidUtf8Reason() throws Exception {
			CloseEvent event = closeAfter((peer) -> {
				peer.upgrade()
					.closeRaw(Peer.closePayload(1000, new byte[] { 'b', 'a', 'd', (byte) 0xC3, (byte) 0x28 }));
				peer.hold(Duration.ofSeconds(5));
			});

			assertThatFailedAsBrowserWould(event);
			assertThat(event.error()).isEqualTo("protocol-error");
			assertThat(event.errorMessage()).contains("UTF-8");
			assertThat(event.wireCode()).isEqualTo(1000);
		}

		@Test
		void failsOnCloseFrameLongerThan125Bytes() throws Exception {
			CloseEvent event = closeAfter((peer) -> {
				peer.upgrade().close(1000, "x".repeat(124));
				peer.hold(Duration.ofSeconds(5));
			});

			assertThatFailedAsBrowserWould(event);
			assertThat(event.error()).isEqualTo("protocol-error");
		}

	}

	@Nested
	class ProtocolViolations {

		@Test
		void failsOnMaskedServerFrame() throws Exception {
			CloseEvent event = closeAfter((peer) -> {
				peer.upgrade().frame(true, 0x1, "masked".getBytes(StandardCharsets.UTF_8), true);
				peer.hold(Duration.ofSeconds(5));
			});

			assertThatFailedAsBrowserWould(event);
			assertThat(event.phase()).isEqualTo(Phase.OPEN);
			assertThat(event.initiator()).isEqualTo(Initiator.CLIENT);
			assertThat(event.error()).isEqualTo("protocol-error");
		}

		@Test
		void failsOnReservedOpcode() throws Exception {
			CloseEvent event = closeAfter((peer) -> {
				peer.upgrade().frame(true, 0x3, new byte[0], false);
				peer.hold(Duration.ofSeconds(5));
			});

			assertThatFailedAsBrowserWould(event);
			assertThat(event.error()).isEqualTo("protocol-error");
		}

		@Test
		void failsOnInvalidUtf8Text() throws Exception {
			CloseEvent event = closeAfter((peer) -> {
				peer.upgrade().frame(true, 0x1, new byte[] { (byte) 0xC3, (byte) 0x28 }, false);
				peer.hold(Duration.ofSeconds(5));
			});

			assertThatFailedAsBrowserWould(event);
			assertThat(event.error()).isEqualTo("invalid-utf8");
		}

	}

	@Nested
	class TransportLoss {

		@Test
		void recordsFinWithoutCloseFrameAsAbnormalWithoutErrorEvent() throws Exception {
			CloseEvent event = closeAfter((peer) -> {
				peer.upgrade().text("hello");
				peer.fin();
				peer.hold(Duration.ofSeconds(5));
			});

			assertThat(event.code()).isEqualTo(1006);
			assertThat(event.reason()).isEmpty();
			assertThat(event.wasClean()).isFalse();
			assertThat(event.errorEvent()).isFalse();
			assertThat(event.initiator()).isEqualTo(Initiator.TRANSPORT);
			assertThat(event.phase()).isEqualTo(Phase.OPEN);
			assertThat(event.error()).startsWith("connection-");
			assertThat(event.messagesReceived()).isEqualTo(1);
		}

		@Test
		void recordsResetWithoutCloseFrameAsAbnormalWithoutErrorEvent() throws Exception {
			CloseEvent event = closeAfter((peer) -> {
				peer.upgrade();
				peer.reset();
			});

			assertThat(event.code()).isEqualTo(1006);
			assertThat(event.wasClean()).isFalse();
			assertThat(event.errorEvent()).isFalse();
			assertThat(event.initiator()).isEqualTo(Initiator.TRANSPORT);
		}

	}

	@Nested
	class FailedHandshakes {

		@ParameterizedTest
		@ValueSource(ints = { 200, 403, 404, 503 })
		void recordsRejectedUpgradeWithItsStatus(int status) throws Exception {
			CloseEvent event = closeAfter((peer) -> peer
				.respond("HTTP/1.1 " + status + " Nope\r\nContent-Length: 4\r\nConnection: close\r\n\r\nnope"));

			assertThatHandshakeFailed(event);
			assertThat(event.handshakeStatus()).isEqualTo(status);
			assertThat(event.initiator()).isEqualTo(Initiator.SERVER);
			assertThat(event.error()).isEqualTo("handshake-rejected");
		}

		@Test
		void rejectsWrongAcceptKey() throws Exception {
			CloseEvent event = closeAfter((peer) -> peer.respond("HTTP/1.1 101 Switching Protocols\r\n"
					+ "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "
					+ Peer.acceptFor("not-the-key") + "\r\n\r\n"));

			assertThatHandshakeFailed(event);
			assertThat(event.handshakeStatus()).isEqualTo(101);
			assertThat(event.error()).isEqualTo("handshake-bad-accept");
		}

		@ParameterizedTest
		@ValueSource(booleans = { true, false })
		void closesTheConnectionOfAnUpgradeItRejects(boolean badAccept) throws Exception {
			BlockingQueue<Boolean> sawEof = new LinkedBlockingQueue<>();

			CloseEvent event = closeAfter((peer) -> {
				String accept = badAccept ? Peer.acceptFor("not-the-key") : peer.accept();
				String upgrade = badAccept ? "Upgrade: websocket\r\n" : "";
				peer.respond("HTTP/1.1 101 Switching Protocols\r\n" + upgrade
						+ "Connection: Upgrade\r\nSec-WebSocket-Accept: " + accept + "\r\n\r\n");
				sawEof.add(peer.awaitEof(Duration.ofSeconds(5)));
			});

			assertThatHandshakeFailed(event);
			assertThat(sawEof.poll(10, TimeUnit.SECONDS)).isTrue();
		}

		@Test
		void rejectsUpgradeWithoutUpgradeHeader() throws Exception {
			CloseEvent event = closeAfter((peer) -> peer.respond("HTTP/1.1 101 Switching Protocols\r\n"
					+ "Connection: Upgrade\r\nSec-WebSocket-Accept: " + peer.accept() + "\r\n\r\n"));

			assertThatHandshakeFailed(event);
			assertThat(event.handshakeStatus()).isEqualTo(101);
			assertThat(event.error()).isEqualTo("handshake-no-upgrade");
		}

		@Test
		void rejectsSubprotocolThatWasNotOffered() throws Exception {
			CloseEvent event = closeAfter((peer) -> peer.upgrade("Sec-WebSocket-Protocol: chat"));

			assertThatHandshakeFailed(event);
			assertThat(event.handshakeStatus()).isEqualTo(101);
			assertThat(event.error()).isEqualTo("handshake-subprotocol");
		}

		@Test
		void rejectsMissingSubprotocolWhenOneWasOffered() throws Exception {
			String path = "/s" + paths.incrementAndGet();
			server.on(path, (peer) -> peer.upgrade());
			CloseFidelityTests.this.harness
				.connection("fidelity",
						UpstreamHarness.upstream(server.url(path), Map.of(), List.of("v2.prices"), null),
						(retry, last, retryAfter) -> ReconnectDecision.giveUp("test"))
				.start();

			CloseEvent event = CloseFidelityTests.this.harness.nextClose();

			assertThatHandshakeFailed(event);
			assertThat(event.error()).isEqualTo("handshake-subprotocol");
		}

		@Test
		void rejectsGarbageResponse() throws Exception {
			CloseEvent event = closeAfter((peer) -> {
				peer.respond("SSH-2.0-OpenSSH_9.2\r\n\r\n");
				peer.fin();
			});

			assertThatHandshakeFailed(event);
			assertThat(event.error()).isNotNull();
		}

		@Test
		void recordsRefusedConnection() throws Exception {
			int port;
			try (ServerSocket socket = new ServerSocket(0)) {
				port = socket.getLocalPort();
			}
			CloseFidelityTests.this.harness.connection("fidelity", "ws://127.0.0.1:" + port + "/").start();

			CloseEvent event = CloseFidelityTests.this.harness.nextClose();

			assertThatHandshakeFailed(event);
			assertThat(event.initiator()).isEqualTo(Initiator.TRANSPORT);
			assertThat(event.error()).isEqualTo("connect-refused");
			assertThat(event.handshakeStatus()).isNull();
		}

		@Test
		void givesUpOnAServerThatNeverAnswersTheUpgradeAfterTheConnectTimeout() throws Exception {
			String path = "/s" + paths.incrementAndGet();
			server.on(path, (peer) -> peer.hold(Duration.ofSeconds(10)));
			CloseFidelityTests.this.harness.connectTimeout(Duration.ofMillis(500));
			CloseFidelityTests.this.harness.connection("fidelity", server.url(path)).start();

			CloseEvent event = CloseFidelityTests.this.harness.nextClose();

			assertThatHandshakeFailed(event);
			assertThat(event.error()).isEqualTo("connect-timeout");
			assertThat(Duration.between(event.startedAt(), event.closedAt())).isBetween(Duration.ofMillis(450),
					Duration.ofSeconds(3));
		}

		@Test
		void recordsResetDuringHandshake() throws Exception {
			CloseEvent event = closeAfter(Peer::reset);

			assertThatHandshakeFailed(event);
			assertThat(event.handshakeStatus()).isNull();
		}

		private void assertThatHandshakeFailed(CloseEvent event) {
			assertThatFailedAsBrowserWould(event);
			assertThat(event.phase()).isEqualTo(Phase.HANDSHAKE);
			assertThat(event.openedAt()).isNull();
			assertThat(event.duration()).isZero();
		}

	}

	@Nested
	class ClosedByClosewatch {

		@Test
		void sendsGoingAwayOnStopAndRecordsIt() throws Exception {
			BlockingQueue<ClientFrame> received = new LinkedBlockingQueue<>();
			String path = "/s" + paths.incrementAndGet();
			server.on(path, (peer) -> {
				peer.upgrade();
				ClientFrame close = peer.awaitClose();
				received.add(close);
				peer.close(close.closeCode(), "bye");
				peer.fin();
			});
			UpstreamConnection connection = CloseFidelityTests.this.harness.connection("fidelity", server.url(path));
			connection.start();
			CloseFidelityTests.this.harness.next(UpstreamConnected.class, Duration.ofSeconds(5));
			BlockingQueue<Boolean> stopped = new LinkedBlockingQueue<>();

			connection.stop(() -> stopped.add(true));
			CloseEvent event = CloseFidelityTests.this.harness.nextClose();

			assertThat(received.poll(5, TimeUnit.SECONDS).closeCode()).isEqualTo(1001);
			// Jetty treats an outgoing 1001 as abnormal (CloseStatus.isOrdinary) and
			// closes TCP at once;
			// the server's answer is recorded only when it was read before that
			assertThat(event.code()).isEqualTo(1001);
			assertThat(event.reason()).isIn("bye", "closewatch shutting down");
			assertThat(event.errorEvent()).isFalse();
			assertThat(event.initiator()).isEqualTo(Initiator.CLIENT);
			assertThat(event.error()).isEqualTo("shutdown");
			assertThat(stopped.poll(5, TimeUnit.SECONDS)).isTrue();
			assertThat(connection.status().state()).isEqualTo(UpstreamState.STOPPED);
		}

	}

	@Nested
	class Handshake {

		@Test
		void sendsHeadersCredentialsSubprotocolAndOnOpenFrame() throws Exception {
			BlockingQueue<String> seen = new LinkedBlockingQueue<>();
			String path = "/s" + paths.incrementAndGet();
			server.on(path, (peer) -> {
				seen.add("authorization=" + peer.header("Authorization"));
				seen.add("x-api-key=" + peer.header("X-Api-Key"));
				seen.add("protocols=" + peer.header("Sec-WebSocket-Protocol"));
				peer.upgrade("Sec-WebSocket-Protocol: v2.prices");
				seen.add("first=" + new String(peer.readFrame().payload(), StandardCharsets.UTF_8));
				peer.close(1000, "ok");
				peer.awaitClose();
				peer.fin();
			});
			String url = server.url(path).replace("ws://", "ws://alice:s3cret@");
			CloseFidelityTests.this.harness.connection("fidelity",
					UpstreamHarness.upstream(url, Map.of("X-Api-Key", "k-123"), List.of("v1.prices", "v2.prices"),
							"{\"subscribe\":\"ticker\"}"),
					(retry, last, retryAfter) -> ReconnectDecision.giveUp("test"))
				.start();

			CloseEvent event = CloseFidelityTests.this.harness.nextClose();

			assertThat(event.code()).isEqualTo(1000);
			assertThat(seen).containsExactly("authorization=Basic YWxpY2U6czNjcmV0", "x-api-key=k-123",
					"protocols=v1.prices, v2.prices", "first={\"subscribe\":\"ticker\"}");
		}

	}

	@Nested
	class HandshakeTimeout {

		@Test
		void isCancelledOnceTheConnectionIsOpenSoNothingOfTheHandshakeIsKeptUntilItWouldHaveFired() throws Exception {
			String path = "/s" + paths.incrementAndGet();
			server.on(path, (peer) -> {
				peer.upgrade();
				peer.awaitClose();
				peer.fin();
			});
			CloseFidelityTests.this.harness.connectTimeout(Duration.ofSeconds(60));
			UpstreamConnection connection = CloseFidelityTests.this.harness.connection("fidelity", server.url(path));
			connection.start();
			CloseFidelityTests.this.harness.next(UpstreamConnected.class, Duration.ofSeconds(5));

			// a timer left behind by the handshake would hold its HTTP exchange,
			// connection and parser for the whole 60 s
			assertThat(CloseFidelityTests.this.harness.pendingTimers())
				.noneMatch((delay) -> delay.compareTo(Duration.ofSeconds(50)) > 0);
			connection.stop(() -> {
			});
			CloseFidelityTests.this.harness.nextClose();
		}

		@Test
		void isCancelledWhenTheServerRejectsTheUpgrade() throws Exception {
			String path = "/s" + paths.incrementAndGet();
			server.on(path,
					(peer) -> peer.respond("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
			CloseFidelityTests.this.harness.connectTimeout(Duration.ofSeconds(60));
			CloseFidelityTests.this.harness
				.connection("fidelity", UpstreamHarness.upstream(server.url(path), Map.of(), List.of(), null),
						(retry, last, retryAfter) -> ReconnectDecision.giveUp("test"))
				.start();

			CloseEvent event = CloseFidelityTests.this.harness.nextClose();

			assertThat(event.handshakeStatus()).isEqualTo(403);
			assertThat(CloseFidelityTests.this.harness.pendingTimers())
				.noneMatch((delay) -> delay.compareTo(Duration.ofSeconds(50)) > 0);
		}

	}

	@Nested
	class Reconnecting {

		@Test
		void reconnectsAfterEachCloseAndRecordsEveryOneOnce() throws Exception {
			String path = "/s" + paths.incrementAndGet();
			AtomicInteger served = new AtomicInteger();
			server.on(path, (peer) -> {
				peer.upgrade().close(4000 + served.incrementAndGet(), "again");
				peer.awaitClose();
				peer.fin();
			});
			UpstreamConnection connection = CloseFidelityTests.this.harness.connection("fidelity",
					UpstreamHarness.upstream(server.url(path), Map.of(), List.of(), null),
					(retry, last, retryAfter) -> ReconnectDecision.after(Duration.ofMillis(20), "test"));
			connection.start();

			List<Integer> codes = new java.util.ArrayList<>();
			for (int i = 0; i < 5; i++) {
				codes.add(CloseFidelityTests.this.harness.nextClose().code());
			}
			connection.stop(() -> {
			});

			assertThat(codes).containsExactly(4001, 4002, 4003, 4004, 4005);
		}

	}

	private static void assertThatFailedAsBrowserWould(CloseEvent event) {
		assertThat(event.code()).isEqualTo(1006);
		assertThat(event.reason()).isEmpty();
		assertThat(event.wasClean()).isFalse();
		assertThat(event.errorEvent()).isTrue();
	}

}
