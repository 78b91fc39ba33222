package dev.closewatch.api;

import java.time.Instant;
import java.util.List;

import dev.closewatch.history.CloseEventSummary;
import dev.closewatch.history.CloseEventSummary.Group;

/**
 * The closes in a window, as the API shows them.
 *
 * @param since the start of the window, inclusive
 * @param until the end of the window, exclusive
 * @param by what the groups are keyed by: {@code upstream}, {@code code} or {@code error}
 * @param closes every close in the window
 * @param uncleanCloses those with {@code wasClean} false
 * @param groups the largest groups, most closes first, ties in key order
 */
record CloseEventSummaryResponse(Instant since, Instant until, String by, long closes, long uncleanCloses,
		List<Group> groups) {

	static CloseEventSummaryResponse of(TimeWindow window, String by, CloseEventSummary summary) {
		return new CloseEventSummaryResponse(window.since(), window.until(), by, summary.closes(),
				summary.uncleanCloses(), summary.groups());
	}

}
