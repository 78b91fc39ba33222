package dev.closewatch.netfault;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A TCP relay on 127.0.0.1 that holds every chunk from the server for a set delay before
 * passing it on: 300 ms of one-way latency where the kernel has no {@code sch_netem}
 * (this machine's does not: "Specified qdisc kind is unknown"). The delay can change
 * while connections are open.
 */
final class DelayRelay implements Closeable {

	private final ServerSocket listener;

	private final InetSocketAddress target;

	private volatile long delayNanos;

	private volatile boolean running = true;

	DelayRelay(InetSocketAddress target) throws IOException {
		this.target = target;
		this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		daemon(this::accept, "relay-accept");
	}

	int port() {
		return this.listener.getLocalPort();
	}

	void delayMillis(long millis) {
		this.delayNanos = millis * 1_000_000;
	}

	private void accept() {
		while (this.running) {
			try {
				Socket client = this.listener.accept();
				daemon(() -> relay(client), "relay");
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	private void relay(Socket client) {
		try (client; Socket server = new Socket()) {
			server.connect(this.target, 30_000);
			client.setTcpNoDelay(true);
			server.setTcpNoDelay(true);
			Thread up = daemon(() -> copy(client, server, false), "relay-up");
			copy(server, client, true);
			up.join(60_000);
		}
		catch (IOException | InterruptedException ex) {
			// either side went away
		}
	}

	private void copy(Socket from, Socket to, boolean delayed) {
		BlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
		BlockingQueue<Long> due = new LinkedBlockingQueue<>();
		Thread writer = delayed ? daemon(() -> drain(chunks, due, to), "relay-delay") : null;
		try {
			InputStream in = from.getInputStream();
			OutputStream out = to.getOutputStream();
			byte[] buffer = new byte[16384];
			for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
				if (writer != null) {
					due.add(System.nanoTime() + this.delayNanos);
					chunks.add(Arrays.copyOf(buffer, n));
				}
				else {
					out.write(buffer, 0, n);
					out.flush();
				}
			}
		}
		catch (IOException ex) {
			// closed
		}
		if (writer != null) {
			chunks.add(new byte[0]);
			due.add(0L);
		}
		else {
			shutdownOutput(to);
		}
	}

	private void drain(BlockingQueue<byte[]> chunks, BlockingQueue<Long> due, Socket to) {
		try {
			OutputStream out = to.getOutputStream();
			while (true) {
				long at = due.take();
				byte[] chunk = chunks.take();
				if (chunk.length == 0) {
					break;
				}
				long wait = at - System.nanoTime();
				if (wait > 0) {
					Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
				}
				out.write(chunk);
				out.flush();
			}
		}
		catch (IOException | InterruptedException ex) {
			// closed
		}
		shutdownOutput(to);
	}

	private static void shutdownOutput(Socket socket) {
		try {
			socket.shutdownOutput();
		}
		catch (IOException ex) {
			// already closed
		}
	}

	private static Thread daemon(Runnable runnable, String name) {
		Thread thread = new Thread(runnable, name);
		thread.setDaemon(true);
		thread.start();
		return thread;
	}

	@Override
	public void close() throws IOException {
		this.running = false;
		this.listener.close();
	}

}
