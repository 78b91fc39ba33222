package dev.closewatch.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.closewatch.upstream.UpstreamState;

/**
 * All upstreams at a glance: how many are in each state, how their last closes ended, and
 * the ones that need attention most.
 *
 * @param total how many upstreams are monitored
 * @param byState how many are in each state, every state listed
 * @param flapping how many closed at least 3 times in the last 10 minutes
 * @param byLastCloseCode how many last closed with each code, {@code none} for those that
 * never closed
 * @param mostUnclean the upstreams with the most unclean closes in the last hour, most
 * first
 * @param longestDown the upstreams not open (nor stopped) for longest, longest first
 * @param generatedAt when the summary was made
 */
record UpstreamSummaryResponse(int total, Map<UpstreamState, Integer> byState, int flapping,
		Map<String, Integer> byLastCloseCode, List<Unclean> mostUnclean, List<Down> longestDown, Instant generatedAt) {

	/**
	 * An upstream's closes in the last hour.
	 *
	 * @param upstream its name
	 * @param uncleanCloses closes with {@code wasClean=false}
	 * @param closes all closes
	 */
	record Unclean(String upstream, int uncleanCloses, int closes) {

	}

	/**
	 * An upstream that is down.
	 *
	 * @param upstream its name
	 * @param state its state
	 * @param downSince when it was last seen closing
	 */
	record Down(String upstream, UpstreamState state, Instant downSince) {

	}

}
