package dev.closewatch.testserver;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.closewatch.testserver.RawWebSocketServer.Peer;
import dev.closewatch.testserver.RawWebSocketServer.Script;

/**
 * Every way a server can end a WebSocket connection that closewatch is tested against,
 * one script per path, for runs that serve them all at once (the soak). Each script ends
 * by itself: a script that waits for closewatch waits at most {@link #HOLD}.
 */
public final class HostileScripts {

	/** The longest a script holds a connection closewatch is expected to end. */
	public static final Duration HOLD = Duration.ofSeconds(10);

	private HostileScripts() {
	}

	/**
	 * The scripts by name; a name is also the path the script is served at (without the
	 * leading slash).
	 * @return the scripts, in a stable order
	 */
	public static Map<String, Script> all() {
		Map<String, Script> scripts = new LinkedHashMap<>();
		for (int code : new int[] { 1000, 1001, 1011, 1013, 4000, 999, 5000 }) {
			scripts.put("close-" + code, closesWith(code, "soak " + code));
		}
		scripts.put("empty-close", (peer) -> {
			peer.upgrade().closeRaw(new byte[0]);
			peer.awaitClose();
			peer.fin();
		});
		scripts.put("close-immediate-fin", (peer) -> {
			peer.upgrade().close(1000, "immediate");
			peer.fin();
		});
		scripts.put("close-then-reset", (peer) -> {
			peer.upgrade().close(1001, "reset");
			peer.reset();
		});
		scripts.put("close-never-fin", (peer) -> {
			peer.upgrade().close(1000, "lingering");
			peer.awaitClose();
			peer.hold(HOLD);
		});
		scripts.put("messages-then-close", (peer) -> {
			peer.upgrade();
			for (int i = 0; i < 20; i++) {
				peer.text("message " + i);
			}
			peer.close(1000, "done");
			peer.awaitClose();
			peer.fin();
		});
		scripts.put("one-byte-close", failsWith((peer) -> peer.upgrade().closeRaw(new byte[] { 0x03 })));
		scripts.put("invalid-utf8-reason", failsWith((peer) -> peer.upgrade()
			.closeRaw(Peer.closePayload(1000, new byte[] { 'b', 'a', 'd', (byte) 0xC3, (byte) 0x28 }))));
		scripts.put("wire-1006", failsWith((peer) -> peer.upgrade().close(1006, "not on the wire")));
		scripts.put("too-long-close", failsWith((peer) -> peer.upgrade().close(1000, "x".repeat(124))));
		scripts.put("masked-frame",
				failsWith((peer) -> peer.upgrade().frame(true, 0x1, "masked".getBytes(StandardCharsets.UTF_8), true)));
		scripts.put("reserved-opcode", failsWith((peer) -> peer.upgrade().frame(true, 0x3, new byte[0], false)));
		scripts.put("invalid-utf8-text",
				failsWith((peer) -> peer.upgrade().frame(true, 0x1, new byte[] { (byte) 0xC3, (byte) 0x28 }, false)));
		scripts.put("fragmented-ping", failsWith((peer) -> peer.upgrade().frame(false, 0x9, new byte[] { 1 }, false)));
		scripts.put("tcp-reset", (peer) -> {
			peer.upgrade();
			peer.reset();
		});
		scripts.put("fin-without-close", (peer) -> {
			peer.upgrade().text("hello");
			peer.fin();
			peer.hold(HOLD);
		});
		scripts.put("silent", (peer) -> {
			// never answers a ping: closewatch's pong timeout ends it
			peer.upgrade();
			peer.hold(HOLD);
		});
		scripts.put("handshake-403",
				(peer) -> peer.respond("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
		scripts.put("handshake-503", (peer) -> peer
			.respond("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
		scripts.put("bad-accept", (peer) -> peer.respond("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
				+ "Connection: Upgrade\r\nSec-WebSocket-Accept: " + Peer.acceptFor("not-the-key") + "\r\n\r\n"));
		scripts.put("no-upgrade-header", (peer) -> peer.respond("HTTP/1.1 101 Switching Protocols\r\n"
				+ "Connection: Upgrade\r\nSec-WebSocket-Accept: " + peer.accept() + "\r\n\r\n"));
		scripts.put("garbage-response", (peer) -> {
			peer.respond("SSH-2.0-OpenSSH_9.2\r\n\r\n");
			peer.fin();
		});
		scripts.put("handshake-reset", Peer::reset);
		scripts.put("handshake-hang", (peer) -> peer.hold(HOLD));
		return scripts;
	}

	private static Script closesWith(int code, String reason) {
		return (peer) -> {
			peer.upgrade().close(code, reason);
			peer.awaitClose();
			peer.fin();
		};
	}

	// a browser fails the connection: closewatch sends its Close and drops TCP
	private static Script failsWith(Script violation) {
		return (peer) -> {
			violation.run(peer);
			peer.hold(HOLD);
		};
	}

}
