package dev.closewatch.history;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import dev.closewatch.closeevent.CloseEvent;

/**
 * A {@link CloseEventHistory} in a database. Recording keeps the event among the recent
 * ones in memory and queues it for the {@link CloseEventWriter}, so a close never waits
 * for the disk; queries read the database, which holds every event written so far, unless
 * the recent events already written hold the whole page ({@link WrittenCloseEvents}).
 */
class DurableCloseEventHistory implements CloseEventHistory {

	private final InMemoryCloseEventHistory recent;

	private final CloseEventWriter writer;

	private final WrittenCloseEvents written;

	private final JdbcCloseEventStore store;

	DurableCloseEventHistory(CloseEventWriter writer, WrittenCloseEvents written, JdbcCloseEventStore store) {
		this.recent = written.recent();
		this.writer = writer;
		this.written = written;
		this.store = store;
	}

	@Override
	public void record(CloseEvent event) {
		// marked unwritten first: the writer may commit it as soon as it is queued
		this.written.recording(event);
		this.recent.record(event);
		if (!this.writer.enqueue(event)) {
			this.written.dropped(event);
		}
	}

	// a stored event that is still among the recent ones is answered as the object
	// recorded, whose JSON the API has serialised once already (CloseEventJsonCache)
	@Override
	public List<CloseEvent> find(CloseEventQuery query) {
		List<CloseEvent> page = this.written.find(query);
		if (page != null) {
			return page;
		}
		List<CloseEvent> stored = this.store.find(query);
		List<CloseEvent> found = new ArrayList<>(stored.size());
		for (CloseEvent event : stored) {
			CloseEvent recorded = this.recent.get(event.id());
			found.add((recorded != null && recorded.equals(event)) ? recorded : event);
		}
		return Collections.unmodifiableList(found);
	}

	@Override
	public List<CloseEvent> findRecent(CloseEventQuery query) {
		return this.recent.find(query);
	}

}
