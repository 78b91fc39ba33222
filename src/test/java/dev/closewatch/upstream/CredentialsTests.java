package dev.closewatch.upstream;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.closewatch.closeevent.CloseEvent;
import dev.closewatch.reconnect.ReconnectDecision;
import dev.closewatch.reconnect.ReconnectOverrides;
import dev.closewatch.testserver.RawWebSocketServer;
import dev.closewatch.upstream.UpstreamProperties.BasicAuth;
import dev.closewatch.upstream.UpstreamProperties.Upstream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bearer tokens and Basic credentials, from configuration or from a mounted file that is
 * read again at every attempt.
 */
class CredentialsTests {

	@TempDir
	Path secrets;

	@Test
	void sendsABearerTokenReadFromAFileAtEveryAttempt() throws Exception {
		Path token = this.secrets.resolve("token");
		Files.writeString(token, "first-token\n");
		BlockingQueue<String> seen = new LinkedBlockingQueue<>();
		try (RawWebSocketServer server = new RawWebSocketServer(); UpstreamHarness harness = new UpstreamHarness()) {
			server.on("/feed", (peer) -> {
				seen.add(peer.header("Authorization"));
				peer.upgrade().close(1000, "rotate");
				peer.awaitClose();
				peer.fin();
			});
			Upstream upstream = upstream(server.url("/feed"), null, token, null);
			UpstreamConnection connection = harness.connection("creds", upstream,
					(retry, last, retryAfter) -> ReconnectDecision.after(Duration.ofMillis(200), "test"));

			connection.start();
			assertThat(seen.poll(5, TimeUnit.SECONDS)).isEqualTo("Bearer first-token");
			Files.writeString(token, "rotated-token");

			assertThat(seen.poll(5, TimeUnit.SECONDS)).isIn("Bearer first-token", "Bearer rotated-token");
			assertThat(seen.poll(5, TimeUnit.SECONDS)).isEqualTo("Bearer rotated-token");
			connection.stop(() -> {
			});
		}
	}

	@Test
	void sendsBasicCredentials() throws Exception {
		BlockingQueue<String> seen = new LinkedBlockingQueue<>();
		try (RawWebSocketServer server = new RawWebSocketServer(); UpstreamHarness harness = new UpstreamHarness()) {
			server.on("/feed", (peer) -> {
				seen.add(peer.header("Authorization"));
				peer.respond("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n");
			});
			Upstream upstream = upstream(server.url("/feed"), null, null, new BasicAuth("bot", "pa55", null));

			harness.connection("creds", upstream, (retry, last, retryAfter) -> ReconnectDecision.giveUp("test"))
				.start();
			CloseEvent event = harness.nextClose();

			assertThat(seen.poll(5, TimeUnit.SECONDS)).isEqualTo("Basic Ym90OnBhNTU=");
			assertThat(event.handshakeStatus()).isEqualTo(401);
		}
	}

	@Test
	void recordsAnUnreadableTokenFileWithoutTouchingTheNetwork() throws Exception {
		try (RawWebSocketServer server = new RawWebSocketServer(); UpstreamHarness harness = new UpstreamHarness()) {
			server.on("/feed", (peer) -> peer.upgrade());
			Upstream upstream = upstream(server.url("/feed"), null, this.secrets.resolve("missing"), null);

			harness.connection("creds", upstream, (retry, last, retryAfter) -> ReconnectDecision.giveUp("test"))
				.start();
			CloseEvent event = harness.nextClose();

			assertThat(event.code()).isEqualTo(1006);
			assertThat(event.error()).isEqualTo("credentials-unavailable");
			assertThat(event.errorMessage()).doesNotContain(this.secrets.toString());
			assertThat(server.connections("/feed")).isZero();
		}
	}

	private static Upstream upstream(String url, String bearer, Path bearerFile, BasicAuth basic) {
		return new Upstream(URI.create(url), Map.of(), List.of(), null, ReconnectOverrides.none(), null, null, null,
				null, null, null, bearer, bearerFile, basic);
	}

}
