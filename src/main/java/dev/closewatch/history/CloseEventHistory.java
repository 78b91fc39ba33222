package dev.closewatch.history;

import java.util.List;

import dev.closewatch.closeevent.CloseEvent;

/**
 * The recorded close events, newest first.
 */
public interface CloseEventHistory {

	/**
	 * Record an event. Recording the same event id twice keeps one copy.
	 * @param event the event to record
	 */
	void record(CloseEvent event);

	/**
	 * Find stored events, newest first. A durable store answers with the events it has
	 * written, which survive a crash of this process.
	 * @param query the filters and page
	 * @return the matching events, at most {@code query.limit()}
	 */
	List<CloseEvent> find(CloseEventQuery query);

	/**
	 * Find recently recorded events, newest first, including those a durable store has
	 * not written yet: what the live stream resumes from. Only the newest events are kept
	 * for this ({@code closewatch.history.capacity}).
	 * @param query the filters and page
	 * @return the matching events, at most {@code query.limit()}
	 */
	default List<CloseEvent> findRecent(CloseEventQuery query) {
		return find(query);
	}

}
