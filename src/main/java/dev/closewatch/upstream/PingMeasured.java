package dev.closewatch.upstream;

import java.time.Duration;

/**
 * Published when an upstream answered closewatch's keep-alive ping.
 *
 * @param upstream the upstream's name
 * @param roundTrip the time from ping to pong
 */
public record PingMeasured(String upstream, Duration roundTrip) {

}
