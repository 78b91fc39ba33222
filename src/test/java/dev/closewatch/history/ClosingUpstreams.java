package dev.closewatch.history;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.closewatch.testserver.RawWebSocketServer;

/**
 * Upstreams for load: a WebSocket server on 127.0.0.1 that accepts every connection and
 * closes it with 1000 after 50-100 ms, until {@link #hold()} makes it keep them open.
 * With closewatch reconnecting 50 ms after each close, every upstream closes about 7
 * times a second.
 */
final class ClosingUpstreams implements AutoCloseable {

	private final AtomicBoolean closing = new AtomicBoolean(true);

	private final RawWebSocketServer server;

	ClosingUpstreams() throws IOException {
		this.server = new RawWebSocketServer().on("/x", (peer) -> {
			peer.upgrade();
			if (!peer.awaitEof(Duration.ofMillis(ThreadLocalRandom.current().nextInt(50, 100)))) {
				if (this.closing.get()) {
					peer.close(1000, "bye");
					peer.awaitClose();
					peer.fin();
				}
				else {
					peer.hold(Duration.ofSeconds(60));
				}
			}
		});
	}

	/**
	 * Return closewatch's command-line arguments for this many upstreams on this server,
	 * each reconnecting 50 ms after a close.
	 * @param count how many upstreams
	 * @return the arguments
	 */
	List<String> arguments(int count) {
		List<String> arguments = new ArrayList<>(List.of("--closewatch.reconnect.strategy=fixed",
				"--closewatch.reconnect.delay=50ms", "--closewatch.reconnect.jitter=0",
				"--closewatch.startup-spread=1s", "--closewatch.close-timeout=1s",
				// one INFO line per close would bury the log a failing test shows
				"--logging.level.dev.closewatch.upstream.UpstreamConnection=WARN"));
		for (int i = 1; i <= count; i++) {
			arguments.add("--closewatch.upstreams.u%03d.url=%s".formatted(i, this.server.url("/x")));
		}
		return arguments;
	}

	/**
	 * Keep every connection open from now on, so that the closes stop.
	 */
	void hold() {
		this.closing.set(false);
	}

	@Override
	public void close() throws IOException {
		this.server.close();
	}

}
