package dev.closewatch.upstream;

import java.time.Duration;

/**
 * The timeouts and limits of one upstream's connections.
 *
 * @param connectTimeout bound on TCP connect, TLS and the upgrade together
 * @param closeTimeout how long to wait for the server's Close after sending one
 * @param resetAfter an open session lasting this long resets the retry count
 * @param maxFrameSize the largest frame accepted before closing with 1009
 */
record ConnectionSettings(Duration connectTimeout, Duration closeTimeout, Duration resetAfter, long maxFrameSize) {

}
