package dev.closewatch.history;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import dev.closewatch.closeevent.CloseEvent;
import org.jspecify.annotations.Nullable;

/**
 * A {@link CloseEventHistory} in a database. Recording keeps the event among the recent
 * ones in memory and queues it for the {@link CloseEventWriter}, so a close never waits
 * for the disk; queries read the database, which holds every event written so far, unless
 * the recent events already written hold the whole page ({@link WrittenCloseEvents}).
 * <p>
 * With a {@link QueueFile} an event counts as written as soon as the file holds it, which
 * is when it is recorded: the list shows it at once, as the memory store does, and a
 * crash of closewatch cannot take it back.
 */
class DurableCloseEventHistory implements CloseEventHistory {

	private final InMemoryCloseEventHistory recent;

	private final CloseEventWriter writer;

	private final WrittenCloseEvents written;

	private final JdbcCloseEventStore store;

	private final @Nullable QueueFile queueFile;

	DurableCloseEventHistory(CloseEventWriter writer, WrittenCloseEvents written, JdbcCloseEventStore store) {
		this(writer, written, store, null);
	}

	/**
	 * Create the history.
	 * @param writer the writer
	 * @param written which recent events are written
	 * @param store the store
	 * @param queueFile where events are kept from their recording to their commit, if
	 * anywhere; the writer frees them from it
	 */
	DurableCloseEventHistory(CloseEventWriter writer, WrittenCloseEvents written, JdbcCloseEventStore store,
			@Nullable QueueFile queueFile) {
		this.recent = written.recent();
		this.writer = writer;
		this.written = written;
		this.store = store;
		this.queueFile = queueFile;
	}

	// Among the recent events only once queued, so that an event the writer has no room
	// for is never shown. One that is not in the queue file is marked unwritten first:
	// the writer may commit it as soon as it is queued.
	@Override
	public void record(CloseEvent event) {
		boolean kept = this.queueFile != null && this.queueFile.add(event);
		if (!kept) {
			this.written.recording(event);
		}
		if (!this.writer.enqueue(event)) {
			if (kept) {
				this.written.recording(event);
				this.queueFile.remove(event);
			}
			this.written.dropped(event);
		}
		this.recent.record(event);
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
