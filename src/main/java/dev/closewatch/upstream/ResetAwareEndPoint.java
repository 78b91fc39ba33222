package dev.closewatch.upstream;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.thread.Scheduler;
import org.jspecify.annotations.Nullable;

/**
 * A TCP end point that remembers the first read or write error of its socket, so that a
 * reset can be told from an orderly close (FIN).
 * <p>
 * Chromium reports a Close frame followed by a FIN as clean and one followed by a reset
 * as not clean ({@code close-semantics.md} §3 item 5). Jetty 12.1's
 * {@code SocketChannelEndPoint.fill} catches the {@code IOException} of a reset, shuts
 * the input down and returns -1, exactly as for a FIN, so nothing above the end point can
 * tell them apart. {@link #fill} is therefore Jetty's own, with the exception kept.
 */
class ResetAwareEndPoint extends SocketChannelEndPoint {

	private volatile @Nullable IOException transportError;

	ResetAwareEndPoint(SocketChannel channel, ManagedSelector selector, SelectionKey key, Scheduler scheduler) {
		super(channel, selector, key, scheduler);
	}

	/**
	 * The first error the socket reported, such as "Connection reset".
	 * @return the error, or {@code null} if every read and write succeeded or met a FIN
	 */
	@Nullable IOException transportError() {
		return this.transportError;
	}

	@Override
	public int fill(ByteBuffer buffer) throws IOException {
		if (isInputShutdown()) {
			return -1;
		}
		int position = BufferUtil.flipToFill(buffer);
		try {
			int filled = getChannel().read(buffer);
			if (filled > 0) {
				notIdle();
			}
			else if (filled == -1) {
				shutdownInput();
			}
			return filled;
		}
		catch (IOException ex) {
			failed(ex);
			shutdownInput();
			return -1;
		}
		finally {
			BufferUtil.flipToFlush(buffer, position);
		}
	}

	@Override
	public boolean flush(ByteBuffer... buffers) throws IOException {
		try {
			return super.flush(buffers);
		}
		catch (IOException ex) {
			// Jetty wraps the socket's exception in an EofException
			failed((ex.getCause() instanceof IOException cause) ? cause : ex);
			throw ex;
		}
	}

	private void failed(IOException ex) {
		// closed by this side: not something the peer did
		if (this.transportError == null && !(ex instanceof ClosedChannelException)) {
			this.transportError = ex;
		}
	}

	/**
	 * The end point under any TLS layers.
	 * @param endPoint an end point
	 * @return the reset-aware end point under it, or {@code null} if it is of another
	 * kind
	 */
	static @Nullable ResetAwareEndPoint under(EndPoint endPoint) {
		EndPoint current = endPoint;
		while (current instanceof EndPoint.Wrapper wrapper) {
			current = wrapper.unwrap();
		}
		return (current instanceof ResetAwareEndPoint tcp) ? tcp : null;
	}

	/**
	 * A client connector whose TCP connections are {@link ResetAwareEndPoint}s.
	 */
	static final class Connector extends ClientConnector {

		@Override
		protected EndPoint newEndPoint(SelectableChannel channel, ManagedSelector selector, SelectionKey key) {
			if (channel instanceof SocketChannel socket) {
				return new ResetAwareEndPoint(socket, selector, key, getScheduler());
			}
			return super.newEndPoint(channel, selector, key);
		}

	}

}
