package dev.closewatch.upstream;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * Published whenever a source of upstream definitions was read, successfully or not.
 *
 * @param source the source, such as {@code application}, {@code api} or
 * {@code file:/etc/closewatch/upstreams/prices.yaml}
 * @param successful whether its upstreams were applied
 * @param at when
 * @param error what was wrong, {@code null} when successful
 */
public record UpstreamSourceReloaded(String source, boolean successful, Instant at, @Nullable String error) {

}
