package dev.closewatch.testserver;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

/**
 * A WebSocket server on 127.0.0.1 written against raw sockets, so that tests can make it
 * misbehave in ways no WebSocket library allows: invalid Close frames, masked frames,
 * broken handshakes, resets. Each request path maps to a {@link Script}.
 */
public final class RawWebSocketServer implements Closeable {

	private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

	private final ServerSocket serverSocket;

	private final ExecutorService executor = Executors.newCachedThreadPool((runnable) -> {
		Thread thread = new Thread(runnable, "raw-ws-server");
		thread.setDaemon(true);
		return thread;
	});

	private final Map<String, Script> scripts = new ConcurrentHashMap<>();

	private final Map<String, AtomicInteger> connections = new ConcurrentHashMap<>();

	private final List<Socket> sockets = new CopyOnWriteArrayList<>();

	private volatile boolean running = true;

	private String scheme = "ws";

	public RawWebSocketServer() throws IOException {
		this("127.0.0.1");
	}

	public RawWebSocketServer(String address) throws IOException {
		this(address, new ServerSocket());
	}

	/**
	 * A {@code wss://} server on 127.0.0.1.
	 * @param tls the server's TLS context
	 * @param needClientAuth whether clients must present a certificate
	 * @return the server
	 * @throws IOException if it cannot listen
	 */
	public static RawWebSocketServer secure(SSLContext tls, boolean needClientAuth) throws IOException {
		SSLServerSocket socket = (SSLServerSocket) tls.getServerSocketFactory().createServerSocket();
		socket.setNeedClientAuth(needClientAuth);
		RawWebSocketServer server = new RawWebSocketServer("127.0.0.1", socket);
		server.scheme = "wss";
		return server;
	}

	private RawWebSocketServer(String address, ServerSocket serverSocket) throws IOException {
		this.serverSocket = serverSocket;
		this.serverSocket.setReuseAddress(true);
		this.serverSocket.bind(new InetSocketAddress(InetAddress.getByName(address), 0), 1024);
		this.executor.execute(this::acceptLoop);
	}

	public RawWebSocketServer on(String path, Script script) {
		this.scripts.put(path, script);
		return this;
	}

	public String url(String path) {
		return this.scheme + "://" + this.serverSocket.getInetAddress().getHostAddress() + ":"
				+ this.serverSocket.getLocalPort() + path;
	}

	public int port() {
		return this.serverSocket.getLocalPort();
	}

	public int connections(String path) {
		AtomicInteger count = this.connections.get(path);
		return (count != null) ? count.get() : 0;
	}

	private void acceptLoop() {
		while (this.running) {
			try {
				Socket socket = this.serverSocket.accept();
				this.sockets.add(socket);
				this.executor.execute(() -> serve(socket));
			}
			catch (IOException ex) {
				if (!this.running) {
					return;
				}
			}
		}
	}

	private void serve(Socket socket) {
		try (socket) {
			socket.setTcpNoDelay(true);
			Peer peer = new Peer(socket);
			peer.readRequest();
			this.connections.computeIfAbsent(peer.path(), (path) -> new AtomicInteger()).incrementAndGet();
			Script script = this.scripts.get(peer.path());
			if (script == null) {
				peer.respond("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
				return;
			}
			script.run(peer);
		}
		catch (Exception ex) {
			// the client went away; nothing to report
		}
		finally {
			this.sockets.remove(socket);
		}
	}

	@Override
	public void close() throws IOException {
		this.running = false;
		this.serverSocket.close();
		for (Socket socket : this.sockets) {
			try {
				socket.close();
			}
			catch (IOException ex) {
				// closing anyway
			}
		}
		this.executor.shutdownNow();
	}

	/**
	 * What the server does with one connection.
	 */
	@FunctionalInterface
	public interface Script {

		void run(Peer peer) throws Exception;

	}

	/**
	 * One client connection, seen from the server.
	 */
	public static final class Peer {

		private final Socket socket;

		private final InputStream in;

		private final OutputStream out;

		private final Map<String, String> headers = new LinkedHashMap<>();

		private String path = "";

		Peer(Socket socket) throws IOException {
			this.socket = socket;
			this.in = socket.getInputStream();
			this.out = socket.getOutputStream();
		}

		public String path() {
			return this.path;
		}

		public String header(String name) {
			return this.headers.get(name.toLowerCase(Locale.ROOT));
		}

		void readRequest() throws IOException {
			ByteArrayOutputStream head = new ByteArrayOutputStream();
			int matched = 0;
			while (matched < 4) {
				int b = this.in.read();
				if (b < 0) {
					throw new IOException("EOF in request");
				}
				head.write(b);
				matched = ((b == '\r' && (matched == 0 || matched == 2))
						|| (b == '\n' && (matched == 1 || matched == 3))) ? matched + 1 : 0;
			}
			String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
			this.path = lines[0].split(" ")[1];
			for (int i = 1; i < lines.length; i++) {
				int colon = lines[i].indexOf(':');
				if (colon > 0) {
					this.headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
							lines[i].substring(colon + 1).trim());
				}
			}
		}

		public String accept() {
			return acceptFor(header("Sec-WebSocket-Key"));
		}

		public static String acceptFor(String key) {
			try {
				byte[] digest = MessageDigest.getInstance("SHA-1")
					.digest((key + GUID).getBytes(StandardCharsets.ISO_8859_1));
				return Base64.getEncoder().encodeToString(digest);
			}
			catch (NoSuchAlgorithmException ex) {
				throw new IllegalStateException(ex);
			}
		}

		/** Answer with a valid 101 and the given extra header lines. */
		public Peer upgrade(String... extraHeaders) throws IOException {
			StringBuilder response = new StringBuilder("HTTP/1.1 101 Switching Protocols\r\n")
				.append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
				.append("Sec-WebSocket-Accept: ")
				.append(accept())
				.append("\r\n");
			for (String header : extraHeaders) {
				response.append(header).append("\r\n");
			}
			respond(response.append("\r\n").toString());
			return this;
		}

		public Peer respond(String raw) throws IOException {
			this.out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
			this.out.flush();
			return this;
		}

		public Peer text(String text) throws IOException {
			return frame(true, 0x1, text.getBytes(StandardCharsets.UTF_8), false);
		}

		public Peer close(int code, String reason) throws IOException {
			return closeRaw(closePayload(code, reason.getBytes(StandardCharsets.UTF_8)));
		}

		public Peer closeRaw(byte[] payload) throws IOException {
			return frame(true, 0x8, payload, false);
		}

		public static byte[] closePayload(int code, byte[] reason) {
			byte[] payload = new byte[2 + reason.length];
			payload[0] = (byte) (code >> 8);
			payload[1] = (byte) code;
			System.arraycopy(reason, 0, payload, 2, reason.length);
			return payload;
		}

		/**
		 * Write one frame; payloads over 125 bytes use the 16-bit length form, over
		 * 65,535 the 64-bit one.
		 */
		public Peer frame(boolean fin, int opcode, byte[] payload, boolean masked) throws IOException {
			ByteArrayOutputStream frame = new ByteArrayOutputStream();
			frame.write((fin ? 0x80 : 0) | opcode);
			int maskBit = masked ? 0x80 : 0;
			if (payload.length <= 125) {
				frame.write(maskBit | payload.length);
			}
			else if (payload.length <= 0xFFFF) {
				frame.write(maskBit | 126);
				frame.write(payload.length >> 8);
				frame.write(payload.length & 0xFF);
			}
			else {
				frame.write(maskBit | 127);
				for (int shift = 56; shift >= 0; shift -= 8) {
					frame.write((int) (((long) payload.length >> shift) & 0xFF));
				}
			}
			byte[] body = payload.clone();
			if (masked) {
				byte[] mask = { 1, 2, 3, 4 };
				frame.write(mask);
				for (int i = 0; i < body.length; i++) {
					body[i] ^= mask[i % 4];
				}
			}
			frame.write(body);
			this.out.write(frame.toByteArray());
			this.out.flush();
			return this;
		}

		/**
		 * Read the next frame from the client.
		 * @return the opcode and unmasked payload, or {@code null} at EOF
		 */
		public ClientFrame readFrame() throws IOException {
			int b0 = this.in.read();
			if (b0 < 0) {
				return null;
			}
			int b1 = readByte();
			long length = b1 & 0x7F;
			if (length == 126) {
				length = (readByte() << 8) | readByte();
			}
			else if (length == 127) {
				length = 0;
				for (int i = 0; i < 8; i++) {
					length = (length << 8) | readByte();
				}
			}
			byte[] mask = ((b1 & 0x80) != 0) ? this.in.readNBytes(4) : null;
			byte[] payload = this.in.readNBytes((int) length);
			if (mask != null) {
				for (int i = 0; i < payload.length; i++) {
					payload[i] ^= mask[i % 4];
				}
			}
			return new ClientFrame(b0 & 0x0F, payload);
		}

		private int readByte() throws IOException {
			int b = this.in.read();
			if (b < 0) {
				throw new IOException("EOF in frame");
			}
			return b;
		}

		/** Read frames until the client's Close; answer pings. */
		public ClientFrame awaitClose() throws IOException {
			for (ClientFrame frame = readFrame(); frame != null; frame = readFrame()) {
				if (frame.opcode() == 0x8) {
					return frame;
				}
				if (frame.opcode() == 0x9) {
					frame(true, 0xA, frame.payload(), false);
				}
			}
			return null;
		}

		/** Wait until the client closes the TCP connection, or the time is up. */
		public boolean awaitEof(Duration timeout) throws IOException {
			this.socket.setSoTimeout((int) timeout.toMillis());
			try {
				while (this.in.read() >= 0) {
					// discard
				}
				return true;
			}
			catch (java.net.SocketTimeoutException ex) {
				return false;
			}
			catch (SocketException ex) {
				return true;
			}
		}

		/** Close the TCP connection with a FIN. */
		public void fin() throws IOException {
			this.socket.shutdownOutput();
		}

		/** Close the TCP connection with a RST. */
		public void reset() throws IOException {
			this.socket.setSoLinger(true, 0);
			this.socket.close();
		}

		/** Hold the connection open until the client goes away or the time is up. */
		public void hold(Duration timeout) throws IOException {
			awaitEof(timeout);
		}

	}

	/**
	 * A frame the client sent.
	 *
	 * @param opcode the opcode
	 * @param payload the unmasked payload
	 */
	public record ClientFrame(int opcode, byte[] payload) {

		public int closeCode() {
			return (this.payload.length >= 2) ? ((this.payload[0] & 0xFF) << 8) | (this.payload[1] & 0xFF) : 1005;
		}

	}

}
