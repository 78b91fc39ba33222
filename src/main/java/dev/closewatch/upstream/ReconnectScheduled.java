package dev.closewatch.upstream;

import java.time.Duration;
import java.time.Instant;

/**
 * Published when an upstream's next connection attempt has been scheduled.
 *
 * @param upstream the upstream's name
 * @param attempt the number of the scheduled attempt
 * @param delay the delay chosen by the reconnect policy
 * @param at when the attempt will start
 */
public record ReconnectScheduled(String upstream, int attempt, Duration delay, Instant at) {

}
