package dev.closewatch.closeevent;

/**
 * The order in which listeners of a published {@link CloseEvent} run (values for
 * {@code @Order}, lowest first). Those that record it, the history and the counters, come
 * before those that pass it on, so that whoever is told of an event (a stream client)
 * finds it in {@code /api/v1/close-events} and in the scrape.
 */
public final class CloseEventListenerOrder {

	/**
	 * Recording: the history and the metrics.
	 */
	public static final int RECORD = 0;

	/**
	 * Passing the event on once it is recorded: the live stream.
	 */
	public static final int NOTIFY = 1000;

	private CloseEventListenerOrder() {
	}

}
