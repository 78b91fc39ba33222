package dev.closewatch.upstream;

/**
 * Published once a new set of upstreams is applied, after the removed and changed
 * upstreams' closes were recorded.
 *
 * @param diff what changed
 */
public record UpstreamsChanged(UpstreamsDiff diff) {

}
