package dev.closewatch.upstream;

import java.time.Duration;
import java.time.Instant;

/**
 * Published when an upstream's WebSocket opened.
 *
 * @param upstream the upstream's name
 * @param openedAt when the upgrade completed
 * @param attempt the attempt number that succeeded
 * @param handshakeDuration time from starting to connect to the completed upgrade
 */
public record UpstreamConnected(String upstream, Instant openedAt, int attempt, Duration handshakeDuration) {

}
