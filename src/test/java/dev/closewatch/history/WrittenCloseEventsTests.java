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

	// the store's only writer, keeping 5 events; the tests of other settings make their
	// own
	private final WrittenCloseEvents written = written(5, this.retention, true, this.clock);

	@Test
	void answersAFullPageWithTheObjectsRecorded() {
		List<CloseEvent> batch = events(1, 10);
		committed(this.written, batch);

		List<CloseEvent> page = this.written.find(all(3));

		assertThat(ids(page)).containsExactly(10L, 9L, 8L);
		assertThat(page.get(0)).isSameAs(batch.get(9));
	}

	@Test
	void showsNoEventBeforeItsBatchHasCommitted() {
		List<CloseEvent> events = events(1, 5);
		record(this.written, events);
		this.written.accept(events.subList(0, 3));

		// 4 and 5 are recent, but a crash could still take them back
		assertThat(ids(this.written.find(all(3)))).containsExactly(3L, 2L, 1L);
		assertThat(this.written.find(all(4))).isNull();

		this.written.accept(events.subList(3, 5));

		assertThat(ids(this.written.find(all(4)))).containsExactly(5L, 4L, 3L, 2L);
	}

	@Test
	void showsABatchCommittedOutOfIdOrderInPlace() {
		List<CloseEvent> events = events(1, 4);
		record(this.written, events);
		this.written.accept(List.of(events.get(0), events.get(2), events.get(3)));

		assertThat(ids(this.written.find(all(3)))).containsExactly(4L, 3L, 1L);

		this.written.accept(List.of(events.get(1)));

		assertThat(ids(this.written.find(all(3)))).containsExactly(4L, 3L, 2L);
	}

	@Test
	void neverShowsAnEventTheWriterDropped() {
		List<CloseEvent> events = events(1, 4);
		record(this.written, events);
		this.written.dropped(events.get(2));
		this.written.accept(List.of(events.get(0), events.get(1), events.get(3)));

		assertThat(ids(this.written.find(all(3)))).containsExactly(4L, 2L, 1L);
		assertThat(this.written.find(all(4))).isNull();
	}

	@Test
	void forgetsDroppedEventsTheRecentTierNoLongerHolds() {
		WrittenCloseEvents tier = written(3, this.retention, true, this.clock);
		List<CloseEvent> dropped = events(1, 3);
		record(tier, dropped);
		List<CloseEvent> later = events(4, 6);
		committed(tier, later);
		assertThat(tier.unwrittenCount()).isEqualTo(3);

		// once as many were dropped as the tier holds, those it evicted are forgotten
		dropped.forEach(tier::dropped);

		assertThat(tier.unwrittenCount()).isZero();
		assertThat(ids(tier.find(all(3)))).containsExactly(6L, 5L, 4L);
	}

	@Test
	void leavesAPageItDoesNotHoldWholeToTheStore() {
		List<CloseEvent> events = events(1, 10);
		committed(this.written, events);

		// 6 to 10 are kept: older ones may be in the store
		assertThat(this.written.find(all(6))).isNull();
		assertThat(this.written.find(query(null, null, null, null, null, 8L, 3))).isNull();
		assertThat(ids(this.written.find(query(null, null, null, null, null, 10L, 3)))).containsExactly(9L, 8L, 7L);
	}

	@Test
	void answersNothingWhenOtherProcessesWriteToTheStore() {
		WrittenCloseEvents tier = written(5, this.retention, false, this.clock);
		List<CloseEvent> events = events(1, 10);
		committed(tier, events);

		assertThat(tier.find(all(1))).isNull();
		assertThat(tier.unwrittenCount()).isZero();
	}

	@Test
	void answersNothingWhenCountRetentionKeepsFewerEventsThanTheRecentTier() {
		WrittenCloseEvents tier = written(5, retention(Duration.ofDays(30), 4), true, this.clock);
		List<CloseEvent> events = events(1, 10);
		committed(tier, events);

		assertThat(tier.find(all(1))).isNull();
	}

	@Test
	void leavesAPageReachingBackTowardsTheRetentionAgeToTheStore() {
		// a tenth of the 10 minutes is the margin: events closed 9 minutes ago or earlier
		// may be being deleted
		List<CloseEvent> events = events(1, 10);
		WrittenCloseEvents tier = written(5, retention(Duration.ofMinutes(10), 5_000_000), true,
				Clock.offset(this.clock, Duration.ofMinutes(8)));
		committed(tier, events);

		assertThat(ids(tier.find(all(2)))).containsExactly(10L, 9L);
		WrittenCloseEvents later = written(5, retention(Duration.ofMinutes(10), 5_000_000), true,
				Clock.offset(this.clock, Duration.ofMinutes(9)));
		committed(later, events);

		assertThat(later.find(all(2))).isNull();
	}

	private static WrittenCloseEvents written(int capacity, HistoryProperties.Retention retention, boolean soleWriter,
			Clock clock) {
		return new WrittenCloseEvents(new InMemoryCloseEventHistory(capacity), retention, soleWriter, clock);
	}

	// as DurableCloseEventHistory records: marked unwritten, then among the recent events
	private static void record(WrittenCloseEvents tier, List<CloseEvent> events) {
		for (CloseEvent event : events) {
			tier.recording(event);
			tier.recent().record(event);
		}
	}

	// recorded, then its batch committed
	private static void committed(WrittenCloseEvents tier, List<CloseEvent> events) {
		record(tier, events);
		tier.accept(events);
	}

	private static List<CloseEvent> events(long first, long last) {
		return LongStream.rangeClosed(first, last).mapToObj((id) -> closeEvent(id).build()).toList();
	}

	private static HistoryProperties.Retention retention(Duration maxAge, long maxEvents) {
		return new HistoryProperties.Retention(maxAge, maxEvents, Duration.ofMinutes(1), 1000);
	}

}
