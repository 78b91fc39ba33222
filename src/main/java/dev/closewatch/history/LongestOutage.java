package dev.closewatch.history;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Finds the longest outage among the gaps between an upstream's sessions: the longest
 * part of a gap that lies within one monitor run. Time outside every run is unknown, so a
 * gap across a restart counts as the pieces before and after it. The gaps are offered
 * longest first, so that the search ends as soon as no further gap can be longer than the
 * longest piece found.
 */
final class LongestOutage {

	private final List<Interval> monitored;

	private @Nullable Interval longest;

	/**
	 * Create a search within the given spans of monitoring.
	 * @param monitored disjoint spans in time order
	 */
	LongestOutage(List<Interval> monitored) {
		this.monitored = monitored;
	}

	/**
	 * Consider the next gap, no longer than the previous one.
	 * @param gap a span without an open session
	 * @return whether a further, shorter gap could still hold a longer outage
	 */
	boolean offer(Interval gap) {
		if (this.longest != null && gap.length().compareTo(this.longest.length()) <= 0) {
			return false;
		}
		for (Interval run : this.monitored) {
			if (!run.start().isBefore(gap.end())) {
				break;
			}
			Interval piece = gap.clip(run.start(), run.end());
			if (!piece.length().isZero()
					&& (this.longest == null || piece.length().compareTo(this.longest.length()) > 0)) {
				this.longest = piece;
			}
		}
		return true;
	}

	@Nullable Interval longest() {
		return this.longest;
	}

}
