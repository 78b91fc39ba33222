package dev.closewatch.history;

import java.util.List;

import dev.closewatch.closeevent.CloseEvent;

/**
 * A {@link CloseEventHistory} in a database. Recording keeps the event among the recent
 * ones in memory and queues it for the {@link CloseEventWriter}, so a close never waits
 * for the disk; queries read the database, which holds every event written so far.
 */
class DurableCloseEventHistory implements CloseEventHistory {

	private final InMemoryCloseEventHistory recent;

	private final CloseEventWriter writer;

	private final JdbcCloseEventStore store;

	DurableCloseEventHistory(InMemoryCloseEventHistory recent, CloseEventWriter writer, JdbcCloseEventStore store) {
		this.recent = recent;
		this.writer = writer;
		this.store = store;
	}

	@Override
	public void record(CloseEvent event) {
		this.recent.record(event);
		this.writer.enqueue(event);
	}

	@Override
	public List<CloseEvent> find(CloseEventQuery query) {
		return this.store.find(query);
	}

	@Override
	public List<CloseEvent> findRecent(CloseEventQuery query) {
		return this.recent.find(query);
	}

}
