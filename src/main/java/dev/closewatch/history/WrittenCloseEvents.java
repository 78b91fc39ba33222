package dev.closewatch.history;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import dev.closewatch.closeevent.CloseEvent;
import org.jspecify.annotations.Nullable;

/**
 * Which of the recent events held in memory the {@link CloseEventWriter} has written, so
 * that a page of the list they hold whole is answered without a database round trip, with
 * the very objects recorded (whose JSON the API has cached). It is a view of the recent
 * tier, not a copy: an event is marked unwritten before it enters the recent tier and
 * unmarked once its transaction has committed, so nothing is shown that a crash could
 * still take back, and an event the writer dropped is never shown.
 * <p>
 * A page is answered here only when it is full: every stored event this process wrote
 * with an id above the page's oldest is among the recent events (those evicted are older
 * than every kept one, and earlier runs' ids lie below this run's), so the store would
 * answer the same page. Not answered here: a page that is not full (older events may be
 * in the store), one reaching back to within a day (or a tenth) of the age at which
 * retention deletes, everything when count retention keeps fewer events than the recent
 * tier, and everything when other processes write to the same store.
 */
final class WrittenCloseEvents implements Consumer<List<CloseEvent>> {

	private static final Duration ONE_DAY = Duration.ofDays(1);

	private final InMemoryCloseEventHistory recent;

	private final boolean answers;

	// answers only pages newer than this: retention may be deleting older events
	private final Duration youngerThan;

	private final Clock clock;

	// recorded among the recent events, but not committed: queued, being written, or
	// dropped by the writer
	private final Set<Long> unwritten = ConcurrentHashMap.newKeySet();

	private final AtomicInteger droppedSincePruned = new AtomicInteger();

	/**
	 * Create the view.
	 * @param recent the recent events, which this view marks written or not
	 * @param retention the store's retention
	 * @param soleWriter whether this process is the only one writing to the store
	 * @param clock the clock
	 */
	WrittenCloseEvents(InMemoryCloseEventHistory recent, HistoryProperties.Retention retention, boolean soleWriter,
			Clock clock) {
		this.recent = recent;
		this.answers = soleWriter && retention.maxEvents() >= recent.capacity();
		Duration margin = retention.maxAge().dividedBy(10);
		this.youngerThan = retention.maxAge().minus((margin.compareTo(ONE_DAY) < 0) ? margin : ONE_DAY);
		this.clock = clock;
	}

	/**
	 * Return the recent events this view marks.
	 */
	InMemoryCloseEventHistory recent() {
		return this.recent;
	}

	/**
	 * Mark an event unwritten; called before it is recorded among the recent events and
	 * queued for the writer, so that it is never shown before its commit.
	 * @param event the event
	 */
	void recording(CloseEvent event) {
		if (this.answers) {
			this.unwritten.add(event.id());
		}
	}

	/**
	 * Keep an event the writer dropped unwritten for good. Once more events were dropped
	 * than the recent tier holds, the marks of those it no longer holds are pruned.
	 * @param event the event
	 */
	void dropped(CloseEvent event) {
		if (this.answers && this.droppedSincePruned.incrementAndGet() >= this.recent.capacity()) {
			this.droppedSincePruned.set(0);
			// when the tier is full, an event older than its oldest is never let in
			Long oldest = this.recent.oldestIdWhenFull();
			if (oldest != null) {
				this.unwritten.removeIf((id) -> id < oldest);
			}
		}
	}

	/**
	 * Mark a committed batch written.
	 * @param written the events of the batch
	 */
	@Override
	public void accept(List<CloseEvent> written) {
		if (this.answers) {
			for (CloseEvent event : written) {
				this.unwritten.remove(event.id());
			}
		}
	}

	/**
	 * Answer the page of the query if the written recent events hold it whole.
	 * @param query the query
	 * @return the page, or {@code null} if the store must answer
	 */
	@Nullable List<CloseEvent> find(CloseEventQuery query) {
		if (!this.answers || query.limit() <= 0) {
			return null;
		}
		List<CloseEvent> page = this.recent.find(query, (id) -> !this.unwritten.contains(id));
		if (page.size() < query.limit()) {
			return null;
		}
		Duration age = Duration.between(page.get(page.size() - 1).closedAt(), this.clock.instant());
		return (age.compareTo(this.youngerThan) < 0) ? page : null;
	}

	int unwrittenCount() {
		return this.unwritten.size();
	}

}
