package dev.closewatch.netfault;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.closewatch.testserver.RawWebSocketServer;
import dev.closewatch.testserver.RawWebSocketServer.ClientFrame;
import dev.closewatch.testserver.RawWebSocketServer.Peer;

/**
 * The upstream server of the network fault run, started in its own network namespace:
 * {@code /feed} sends a small message every 500 ms, {@code /big} also a 1 MiB binary
 * message 2 s after the open and every 15 s; both answer pings and a Close as a healthy
 * server does. Prints {@code PORT <n>} once it listens; runs until its input closes.
 * <p>
 * Usage: {@code java -cp target/test-classes dev.closewatch.netfault.NetFaultServer}
 */
public final class NetFaultServer {

	static final int BIG_MESSAGE = 1024 * 1024;

	// a connection lives at most this long, so that every thread ends
	private static final Duration LONGEST = Duration.ofMinutes(10);

	private NetFaultServer() {
	}

	public static void main(String[] args) throws Exception {
		try (RawWebSocketServer server = new RawWebSocketServer("0.0.0.0")) {
			server.on("/feed", (peer) -> serve(peer, false)).on("/big", (peer) -> serve(peer, true));
			System.out.println("PORT " + server.port());
			System.out.flush();
			// until the driver goes away
			while (System.in.read() >= 0) {
				// nothing to read
			}
		}
	}

	private static void serve(Peer peer, boolean big) throws Exception {
		peer.upgrade();
		CountDownLatch closed = new CountDownLatch(1);
		Thread reader = new Thread(() -> read(peer, closed), "netfault-reader");
		reader.setDaemon(true);
		reader.start();
		long start = System.nanoTime();
		long nextBig = start + TimeUnit.SECONDS.toNanos(2);
		int sequence = 0;
		while (!closed.await(500, TimeUnit.MILLISECONDS) && System.nanoTime() - start < LONGEST.toNanos()) {
			byte[] message = ("tick " + sequence++).getBytes(StandardCharsets.UTF_8);
			send(peer, 0x1, message);
			if (big && System.nanoTime() >= nextBig) {
				send(peer, 0x2, new byte[BIG_MESSAGE]);
				nextBig = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
			}
		}
	}

	private static void read(Peer peer, CountDownLatch closed) {
		try {
			for (ClientFrame frame = peer.readFrame(); frame != null; frame = peer.readFrame()) {
				if (frame.opcode() == 0x9) {
					send(peer, 0xA, frame.payload());
				}
				else if (frame.opcode() == 0x8) {
					send(peer, 0x8, frame.payload());
					peer.fin();
					break;
				}
			}
		}
		catch (Exception ex) {
			// the connection is gone
		}
		finally {
			closed.countDown();
		}
	}

	private static void send(Peer peer, int opcode, byte[] payload) throws Exception {
		synchronized (peer) {
			peer.frame(true, opcode, payload, false);
		}
	}

}
