package dev.closewatch.history;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.LongStream;

import dev.closewatch.closeevent.CloseEvent;
import org.junit.jupiter.api.Test;

import static dev.closewatch.history.CloseEventHistoryContract.all;
import static dev.closewatch.history.CloseEventHistoryContract.ids;
import static dev.closewatch.history.CloseEventHistoryContract.query;
import static dev.closewatch.history.TestCloseEvents.closeEvent;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the recent events already written answer a page without the store, and when they
 * leave it to the store.
 */
class WrittenCloseEventsTests {

	// the events close one a second from TestCloseEvents.EPOCH: the clock is a minute
	// later
	private final Clock clock = Clock.fixed(TestCloseEvents.EPOCH.plusSeconds(60), ZoneOffset.UTC);

	private final HistoryProperties.Retention retention = retention(Duration.ofDays(30), 5_000_000);

	@Test
	void answersAFullPageWithTheObjectsRecorded() {
		WrittenCloseEvents written = written(5, this.retention, true, this.clock);
		List<CloseEvent> batch = events(1, 10);
		record(written, batch);
		written.accept(batch);

		List<CloseEvent> page = written.find(all(3));

		assertThat(ids(page)).containsExactly(10L, 9L, 8L);
		assertThat(page.get(0)).isSameAs(batch.get(9));
	}

	@Test
	void showsNoEventBeforeItsBatchHasCommitted() {
		WrittenCloseEvents written = written(5, this.retention, true, this.clock);
		List<CloseEvent> events = events(1, 5);
		record(written, events);
		written.accept(events.subList(0, 3));

		// 4 and 5 are recent, but a crash could still take them back
		assertThat(ids(written.find(all(3)))).containsExactly(3L, 2L, 1L);
		assertThat(written.find(all(4))).isNull();

		written.accept(events.subList(3, 5));

		assertThat(ids(written.find(all(4)))).containsExactly(5L, 4L, 3L, 2L);
	}

	@Test
	void showsABatchCommittedOutOfIdOrderInPlace() {
		WrittenCloseEvents written = written(5, this.retention, true, this.clock);
		List<CloseEvent> events = events(1, 4);
		record(written, events);
		written.accept(List.of(events.get(0), events.get(2), events.get(3)));

		assertThat(ids(written.find(all(3)))).containsExactly(4L, 3L, 1L);

		written.accept(List.of(events.get(1)));

		assertThat(ids(written.find(all(3)))).containsExactly(4L, 3L, 2L);
	}

	@Test
	void neverShowsAnEventTheWriterDropped() {
		WrittenCloseEvents written = written(5, this.retention, true, this.clock);
		List<CloseEvent> events = events(1, 4);
		record(written, events);
		written.dropped(events.get(2));
		written.accept(List.of(events.get(0), events.get(1), events.get(3)));

		assertThat(ids(written.find(all(3)))).containsExactly(4L, 2L, 1L);
		assertThat(written.find(all(4))).isNull();
	}

	@Test
	void forgetsDroppedEventsTheRecentTierNoLongerHolds() {
		WrittenCloseEvents written = written(3, this.retention, true, this.clock);
		List<CloseEvent> dropped = events(1, 3);
		record(written, dropped);
		List<CloseEvent> later = events(4, 6);
		record(written, later);
		written.accept(later);
		assertThat(written.unwrittenCount()).isEqualTo(3);

		// once as many were dropped as the tier holds, those it evicted are forgotten
		dropped.forEach(written::dropped);

		assertThat(written.unwrittenCount()).isZero();
		assertThat(ids(written.find(all(3)))).containsExactly(6L, 5L, 4L);
	}

	@Test
	void leavesAPageItDoesNotHoldWholeToTheStore() {
		WrittenCloseEvents written = written(5, this.retention, true, this.clock);
		List<CloseEvent> events = events(1, 10);
		record(written, events);
		written.accept(events);

		// 6 to 10 are kept: older ones may be in the store
		assertThat(written.find(all(6))).isNull();
		assertThat(written.find(query(null, null, null, null, null, 8L, 3))).isNull();
		assertThat(ids(written.find(query(null, null, null, null, null, 10L, 3)))).containsExactly(9L, 8L, 7L);
	}

	@Test
	void answersNothingWhenOtherProcessesWriteToTheStore() {
		WrittenCloseEvents written = written(5, this.retention, false, this.clock);
		List<CloseEvent> events = events(1, 10);
		record(written, events);
		written.accept(events);

		assertThat(written.find(all(1))).isNull();
		assertThat(written.unwrittenCount()).isZero();
	}

	@Test
	void answersNothingWhenCountRetentionKeepsFewerEventsThanTheRecentTier() {
		WrittenCloseEvents written = written(5, retention(Duration.ofDays(30), 4), true, this.clock);
		List<CloseEvent> events = events(1, 10);
		record(written, events);
		written.accept(events);

		assertThat(written.find(all(1))).isNull();
	}

	@Test
	void leavesAPageReachingBackTowardsTheRetentionAgeToTheStore() {
		// a tenth of the 10 minutes is the margin: events closed 9 minutes ago or earlier
		// may be being deleted
		List<CloseEvent> events = events(1, 10);
		WrittenCloseEvents written = written(5, retention(Duration.ofMinutes(10), 5_000_000), true,
				Clock.offset(this.clock, Duration.ofMinutes(8)));
		record(written, events);
		written.accept(events);

		assertThat(ids(written.find(all(2)))).containsExactly(10L, 9L);
		WrittenCloseEvents later = written(5, retention(Duration.ofMinutes(10), 5_000_000), true,
				Clock.offset(this.clock, Duration.ofMinutes(9)));
		record(later, events);
		later.accept(events);

		assertThat(later.find(all(2))).isNull();
	}

	private static WrittenCloseEvents written(int capacity, HistoryProperties.Retention retention, boolean soleWriter,
			Clock clock) {
		return new WrittenCloseEvents(new InMemoryCloseEventHistory(capacity), retention, soleWriter, clock);
	}

	// as DurableCloseEventHistory records: marked unwritten, then among the recent events
	private static void record(WrittenCloseEvents written, List<CloseEvent> events) {
		for (CloseEvent event : events) {
			written.recording(event);
			written.recent().record(event);
		}
	}

	private static List<CloseEvent> events(long first, long last) {
		return LongStream.rangeClosed(first, last).mapToObj((id) -> closeEvent(id).build()).toList();
	}

	private static HistoryProperties.Retention retention(Duration maxAge, long maxEvents) {
		return new HistoryProperties.Retention(maxAge, maxEvents, Duration.ofMinutes(1), 1000);
	}

}
