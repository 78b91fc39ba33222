package dev.closewatch.upstream;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.closewatch.closeevent.CloseEvent;
import dev.closewatch.closeevent.Phase;
import dev.closewatch.reconnect.ReconnectDecision;
import dev.closewatch.reconnect.ReconnectOverrides;
import dev.closewatch.testserver.RawWebSocketServer;
import dev.closewatch.testserver.RawWebSocketServer.Script;
import dev.closewatch.testserver.TestCertificates;
import dev.closewatch.upstream.UpstreamProperties.Upstream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslStoreBundle;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code wss://} upstreams against real TLS servers on 127.0.0.1 with generated
 * certificates: the browser view of a TLS failure stays 1006, the {@code error} says
 * which failure it was.
 */
class TlsTests {

	private static TestCertificates pki;

	private static final Script CLOSES = (peer) -> {
		peer.upgrade().close(1000, "tls ok");
		peer.awaitClose();
		peer.fin();
	};

	private UpstreamHarness harness;

	private RawWebSocketServer server;

	@BeforeAll
	static void createCertificates() throws Exception {
		pki = TestCertificates.create();
	}

	@BeforeEach
	void startHarness() throws Exception {
		this.harness = new UpstreamHarness();
		this.harness.sslBundle("test-ca", SslBundle.of(SslStoreBundle.of(null, null, pki.store("trust"))));
		this.harness.sslBundle("mtls",
				SslBundle.of(SslStoreBundle.of(pki.store("client"), TestCertificates.PASSWORD, pki.store("trust"))));
	}

	@AfterEach
	void stop() throws Exception {
		this.harness.close();
		if (this.server != null) {
			this.server.close();
		}
	}

	@Test
	void opensWithACustomCaAndReportsTheCertificateExpiry() throws Exception {
		this.server = RawWebSocketServer.secure(pki.serverContext("server"), false).on("/feed", CLOSES);

		connect(this.server.url("/feed"), "test-ca");
		UpstreamConnected connected = this.harness.next(UpstreamConnected.class, Duration.ofSeconds(10));
		CloseEvent event = this.harness.nextClose();

		assertThat(connected.certificateNotAfter()).isAfter(Instant.now())
			.isBefore(Instant.now().plus(Duration.ofDays(4)));
		assertThat(event.code()).isEqualTo(1000);
		assertThat(event.reason()).isEqualTo("tls ok");
		assertThat(event.wasClean()).isTrue();
	}

	@Test
	void classifiesAnUntrustedCertificate() throws Exception {
		this.server = RawWebSocketServer.secure(pki.serverContext("self-signed"), false).on("/feed", CLOSES);

		assertThatTlsFailed(connectAndClose(this.server.url("/feed"), "test-ca"), "tls-untrusted-certificate");
	}

	@Test
	void classifiesAnUntrustedCertificateWithTheJvmTrustStore() throws Exception {
		this.server = RawWebSocketServer.secure(pki.serverContext("server"), false).on("/feed", CLOSES);

		assertThatTlsFailed(connectAndClose(this.server.url("/feed"), null), "tls-untrusted-certificate");
	}

	@Test
	void classifiesAnExpiredCertificate() throws Exception {
		this.server = RawWebSocketServer.secure(pki.serverContext("expired"), false).on("/feed", CLOSES);

		assertThatTlsFailed(connectAndClose(this.server.url("/feed"), "test-ca"), "tls-expired");
	}

	@Test
	void classifiesACertificateForAnotherHost() throws Exception {
		this.server = RawWebSocketServer.secure(pki.serverContext("wrong-host"), false).on("/feed", CLOSES);

		assertThatTlsFailed(connectAndClose(this.server.url("/feed"), "test-ca"), "tls-hostname-mismatch");
	}

	@Test
	void classifiesAPlainTextServer() throws Exception {
		try (ServerSocket plain = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
			Thread answer = new Thread(() -> {
				// a plain HTTP server answers a TLS ClientHello with 400, as nginx does
				try (Socket socket = plain.accept()) {
					socket.getOutputStream()
						.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"
							.getBytes(StandardCharsets.US_ASCII));
					socket.getInputStream().read();
				}
				catch (IOException ex) {
					// the client went away
				}
			});
			answer.setDaemon(true);
			answer.start();

			assertThatTlsFailed(connectAndClose("wss://127.0.0.1:" + plain.getLocalPort() + "/feed", "test-ca"),
					"tls-not-tls");
		}
	}

	@Test
	void presentsTheBundlesClientCertificateForMutualTls() throws Exception {
		this.server = RawWebSocketServer.secure(pki.serverContext("server"), true).on("/feed", CLOSES);

		CloseEvent event = connectAndClose(this.server.url("/feed"), "mtls");

		assertThat(event.code()).isEqualTo(1000);
		assertThat(event.wasClean()).isTrue();
	}

	@Test
	void failsTheHandshakeWithoutAClientCertificateWhenTheServerRequiresOne() throws Exception {
		this.server = RawWebSocketServer.secure(pki.serverContext("server"), true).on("/feed", CLOSES);

		CloseEvent event = connectAndClose(this.server.url("/feed"), "test-ca");

		assertThat(event.code()).isEqualTo(1006);
		assertThat(event.wasClean()).isFalse();
		assertThat(event.errorEvent()).isTrue();
		assertThat(event.phase()).isEqualTo(Phase.HANDSHAKE);
		assertThat(event.error()).isNotNull();
	}

	private void connect(String url, @Nullable String bundle) {
		Upstream upstream = new Upstream(URI.create(url), Map.of(), List.of(), null, ReconnectOverrides.none(), null,
				null, null, null, null, bundle, null, null, null);
		this.harness.connection("tls", upstream, (retry, last, retryAfter) -> ReconnectDecision.giveUp("test")).start();
	}

	private CloseEvent connectAndClose(String url, @Nullable String bundle) throws InterruptedException {
		connect(url, bundle);
		return this.harness.nextClose();
	}

	private static void assertThatTlsFailed(CloseEvent event, String error) {
		// never 1015: the WHATWG standard forbids telling a TLS failure apart
		// (close-semantics.md §1.2)
		assertThat(event.code()).isEqualTo(1006);
		assertThat(event.reason()).isEmpty();
		assertThat(event.wasClean()).isFalse();
		assertThat(event.errorEvent()).isTrue();
		assertThat(event.phase()).isEqualTo(Phase.HANDSHAKE);
		assertThat(event.error()).isEqualTo(error);
	}

}
