package dev.closewatch.api;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One page of upstreams.
 *
 * @param items the upstreams of this page
 * @param next the cursor of the following page, {@code null} when there are no more
 * @param total how many upstreams match the filters, over all pages
 */
record UpstreamPage(List<UpstreamResponse> items, @Nullable String next, int total) {

}
