package dev.closewatch.history;

/**
 * Figures computed from the recorded close events where they are stored: a durable store
 * answers in SQL without reading every event, the {@code memory} store over its bounded
 * ring.
 */
public interface CloseEventStatistics {

	/**
	 * Return how available one upstream was in a window, judged by its sessions and by
	 * when closewatch was running to see them.
	 * @param query the upstream, the window and the session open now, if any
	 * @return the figures
	 */
	Availability availability(AvailabilityQuery query);

	/**
	 * Count the closes in a window, in total and for the largest groups.
	 * @param query the window, the grouping and how many groups
	 * @return the counts
	 */
	CloseEventSummary summary(SummaryQuery query);

}
