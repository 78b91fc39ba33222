package dev.closewatch.history;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import dev.closewatch.closeevent.CloseEvent;
import org.jspecify.annotations.Nullable;

/**
 * The newest events the {@link CloseEventWriter} has written, kept in memory so that a
 * page of the list they hold whole is answered without a database round trip, with the
 * very objects recorded (whose JSON the API has cached).
 * <p>
 * An event enters only once its transaction has committed, so nothing is shown that a
 * crash could still take back. A page is answered here only when it is full: every stored
 * event this process wrote with an id above the page's oldest is kept here (those evicted
 * are older than every kept one, and earlier runs' ids lie below this run's), so the
 * store would answer the same page. Not answered here: a page that is not full (older
 * events may be in the store), one reaching back to within a day (or a tenth) of the age
 * at which retention deletes, everything when count retention keeps fewer events than
 * this tier, and everything when other processes write to the same store.
 */
final class WrittenCloseEvents implements Consumer<List<CloseEvent>> {

	private static final Duration ONE_DAY = Duration.ofDays(1);

	private final InMemoryCloseEventHistory events;

	private final boolean answers;

	// answers only pages newer than this: retention may be deleting older events
	private final Duration youngerThan;

	private final Clock clock;

	/**
	 * Create the tier.
	 * @param capacity how many events it keeps
	 * @param retention the store's retention
	 * @param soleWriter whether this process is the only one writing to the store
	 * @param clock the clock
	 */
	WrittenCloseEvents(int capacity, HistoryProperties.Retention retention, boolean soleWriter, Clock clock) {
		this.events = new InMemoryCloseEventHistory(capacity);
		this.answers = soleWriter && retention.maxEvents() >= capacity;
		Duration margin = retention.maxAge().dividedBy(10);
		this.youngerThan = retention.maxAge().minus((margin.compareTo(ONE_DAY) < 0) ? margin : ONE_DAY);
		this.clock = clock;
	}

	/**
	 * Keep a committed batch.
	 * @param written the events of the batch
	 */
	@Override
	public void accept(List<CloseEvent> written) {
		if (this.answers) {
			written.forEach(this.events::record);
		}
	}

	/**
	 * Answer the page of the query if it is kept here whole.
	 * @param query the query
	 * @return the page, or {@code null} if the store must answer
	 */
	@Nullable List<CloseEvent> find(CloseEventQuery query) {
		if (!this.answers || query.limit() <= 0) {
			return null;
		}
		List<CloseEvent> page = this.events.find(query);
		if (page.size() < query.limit()) {
			return null;
		}
		Duration age = Duration.between(page.get(page.size() - 1).closedAt(), this.clock.instant());
		return (age.compareTo(this.youngerThan) < 0) ? page : null;
	}

}
