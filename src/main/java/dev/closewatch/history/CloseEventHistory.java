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
	 * Find recorded events, newest first.
	 * @param query the filters and page
	 * @return the matching events, at most {@code query.limit()}
	 */
	List<CloseEvent> find(CloseEventQuery query);

}
