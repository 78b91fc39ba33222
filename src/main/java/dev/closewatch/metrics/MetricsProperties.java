package dev.closewatch.metrics;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What the per-upstream series cost ({@code closewatch.metrics.*}).
 *
 * @param perUpstreamTimers whether the handshake, session, disconnected and ping timers
 * and the reconnect delay gauge are exported per upstream (13 more series for each). By
 * default the timers are one histogram each across all upstreams, and an upstream costs 7
 * series (8 over {@code wss:}) plus one per close code and clean flag it has seen.
 */
@ConfigurationProperties("closewatch.metrics")
record MetricsProperties(@DefaultValue("false") boolean perUpstreamTimers) {

}
