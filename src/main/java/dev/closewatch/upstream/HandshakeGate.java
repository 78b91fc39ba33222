package dev.closewatch.upstream;

import java.util.ArrayDeque;
import java.util.Queue;

/**
 * Bounds the opening handshakes under way across all upstreams, so that a server restart
 * that drops thousands of upstreams at once does not come back as a thundering herd.
 * Attempts beyond the bound wait in arrival order; each leaves the gate when its upgrade
 * completes or fails.
 */
final class HandshakeGate {

	private final int limit;

	private final Queue<Handshake> waiting = new ArrayDeque<>();

	private int inFlight;

	private int peak;

	HandshakeGate(int limit) {
		if (limit < 1) {
			throw new IllegalArgumentException("limit must be at least 1, was " + limit);
		}
		this.limit = limit;
	}

	/**
	 * Start {@code handshake} now if fewer than the limit are under way, or once one
	 * leaves.
	 * @param handshake the handshake; when it starts it must lead to exactly one
	 * {@link #leave()}
	 */
	void enter(Handshake handshake) {
		synchronized (this) {
			if (this.inFlight >= this.limit) {
				this.waiting.add(handshake);
				return;
			}
			this.inFlight++;
			this.peak = Math.max(this.peak, this.inFlight);
		}
		if (!handshake.start()) {
			leave();
		}
	}

	/**
	 * A handshake ended; the next waiting one that still wants to start starts on this
	 * thread.
	 */
	void leave() {
		while (true) {
			Handshake next;
			synchronized (this) {
				next = this.waiting.poll();
				if (next == null) {
					this.inFlight--;
					return;
				}
			}
			if (next.start()) {
				return;
			}
		}
	}

	/**
	 * A handshake waiting at the gate.
	 */
	@FunctionalInterface
	interface Handshake {

		/**
		 * Start the handshake.
		 * @return {@code false} if it no longer wants to start, which frees its place at
		 * once
		 */
		boolean start();

	}

	synchronized int inFlight() {
		return this.inFlight;
	}

	synchronized int waiting() {
		return this.waiting.size();
	}

	synchronized int peak() {
		return this.peak;
	}

}
