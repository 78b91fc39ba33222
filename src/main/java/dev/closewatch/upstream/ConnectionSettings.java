package dev.closewatch.upstream;

import java.time.Duration;

/**
 * The timeouts, liveness checks and limits of one upstream's connections.
 *
 * @param connectTimeout bound on TCP connect, TLS and the upgrade together
 * @param closeTimeout how long to wait for the server's Close after sending one
 * @param tcpCloseTimeout how long to wait, after the closing handshake, for the server to
 * close the TCP connection; zero to close it at once
 * @param liveness how dead and silent connections are detected
 */
record ConnectionSettings(Duration connectTimeout, Duration closeTimeout, Duration tcpCloseTimeout, Liveness liveness) {

	/**
	 * Liveness settings.
	 *
	 * @param pingInterval how often to ping an open connection, zero for never
	 * @param pongTimeout how long to wait for the pong before aborting
	 * @param staleAfter how long an upstream may send no message before it is closed,
	 * zero for never
	 * @param staleCode the close code sent to a stale upstream
	 * @param maxMessageSize the largest message accepted before closing with 1009
	 */
	record Liveness(Duration pingInterval, Duration pongTimeout, Duration staleAfter, int staleCode,
			long maxMessageSize) {

		static final Liveness OFF = new Liveness(Duration.ZERO, Duration.ofSeconds(10), Duration.ZERO, 4000,
				16 * 1024 * 1024);

		boolean pings() {
			return !this.pingInterval.isZero();
		}

		boolean checksStaleness() {
			return !this.staleAfter.isZero();
		}

	}

}
