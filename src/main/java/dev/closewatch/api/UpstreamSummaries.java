package dev.closewatch.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.closewatch.closeevent.CloseEvent;
import dev.closewatch.upstream.RecentCloses;
import dev.closewatch.upstream.UpstreamState;
import dev.closewatch.upstream.UpstreamStatus;

/**
 * Makes the summary of {@code GET /api/v1/upstreams/summary} in one pass over the
 * upstreams' snapshots.
 */
final class UpstreamSummaries {

	private static final Comparator<UpstreamSummaryResponse.Unclean> MOST_UNCLEAN = Comparator
		.comparingInt(UpstreamSummaryResponse.Unclean::uncleanCloses)
		.reversed()
		.thenComparing(UpstreamSummaryResponse.Unclean::upstream);

	private static final Comparator<UpstreamSummaryResponse.Down> LONGEST_DOWN = Comparator
		.comparing(UpstreamSummaryResponse.Down::downSince)
		.thenComparing(UpstreamSummaryResponse.Down::upstream);

	private UpstreamSummaries() {
	}

	static UpstreamSummaryResponse summarise(List<UpstreamStatus> statuses, int top, Instant now) {
		Map<UpstreamState, Integer> byState = new EnumMap<>(UpstreamState.class);
		for (UpstreamState state : UpstreamState.values()) {
			byState.put(state, 0);
		}
		Map<String, Integer> byLastCloseCode = new TreeMap<>();
		List<UpstreamSummaryResponse.Unclean> unclean = new ArrayList<>();
		List<UpstreamSummaryResponse.Down> down = new ArrayList<>();
		int flapping = 0;
		for (UpstreamStatus status : statuses) {
			byState.merge(status.state(), 1, Integer::sum);
			CloseEvent lastClose = status.lastClose();
			byLastCloseCode.merge((lastClose != null) ? Integer.toString(lastClose.code()) : "none", 1, Integer::sum);
			RecentCloses recent = status.recentCloses();
			if (recent.flapping()) {
				flapping++;
			}
			if (recent.uncleanLastHour() > 0) {
				unclean.add(new UpstreamSummaryResponse.Unclean(status.name(), recent.uncleanLastHour(),
						recent.lastHour()));
			}
			Instant downSince = status.disconnectedSince();
			if (status.state() != UpstreamState.OPEN && status.state() != UpstreamState.STOPPED && downSince != null) {
				down.add(new UpstreamSummaryResponse.Down(status.name(), status.state(), downSince));
			}
		}
		return new UpstreamSummaryResponse(statuses.size(), byState, flapping, byLastCloseCode,
				firstOf(unclean, MOST_UNCLEAN, top), firstOf(down, LONGEST_DOWN, top), now);
	}

	private static <T> List<T> firstOf(List<T> items, Comparator<T> order, int top) {
		items.sort(order);
		return List.copyOf(items.subList(0, Math.min(top, items.size())));
	}

}
