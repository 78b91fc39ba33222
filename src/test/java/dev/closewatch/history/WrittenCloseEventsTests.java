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
 * When the newest written events answer a page without the store, and when they leave it
 * to the store.
 */
class WrittenCloseEventsTests {

	// the events close one a second from TestCloseEvents.EPOCH: the clock is a minute
	// later
	private final Clock clock = Clock.fixed(TestCloseEvents.EPOCH.plusSeconds(60), ZoneOffset.UTC);

	private final HistoryProperties.Retention retention = retention(Duration.ofDays(30), 5_000_000);

	@Test
	void answersAFullPageWithTheObjectsWritten() {
		WrittenCloseEvents written = new WrittenCloseEvents(5, this.retention, true, this.clock);
		List<CloseEvent> batch = events(1, 10);
		written.accept(batch);

		List<CloseEvent> page = written.find(all(3));

		assertThat(ids(page)).containsExactly(10L, 9L, 8L);
		assertThat(page.get(0)).isSameAs(batch.get(9));
	}

	@Test
	void leavesAPageItDoesNotHoldWholeToTheStore() {
		WrittenCloseEvents written = new WrittenCloseEvents(5, this.retention, true, this.clock);
		written.accept(events(1, 10));

		// 6 to 10 are kept: older ones may be in the store
		assertThat(written.find(all(6))).isNull();
		assertThat(written.find(query(null, null, null, null, null, 8L, 3))).isNull();
		assertThat(ids(written.find(query(null, null, null, null, null, 10L, 3)))).containsExactly(9L, 8L, 7L);
	}

	@Test
	void answersNothingWhenOtherProcessesWriteToTheStore() {
		WrittenCloseEvents written = new WrittenCloseEvents(5, this.retention, false, this.clock);
		written.accept(events(1, 10));

		assertThat(written.find(all(1))).isNull();
	}

	@Test
	void answersNothingWhenCountRetentionKeepsFewerEventsThanItDoes() {
		WrittenCloseEvents written = new WrittenCloseEvents(5, retention(Duration.ofDays(30), 4), true, this.clock);
		written.accept(events(1, 10));

		assertThat(written.find(all(1))).isNull();
	}

	@Test
	void leavesAPageReachingBackTowardsTheRetentionAgeToTheStore() {
		// a tenth of the 10 minutes is the margin: events closed 9 minutes ago or earlier
		// may be
		// being deleted
		WrittenCloseEvents written = new WrittenCloseEvents(5, retention(Duration.ofMinutes(10), 5_000_000), true,
				Clock.offset(this.clock, Duration.ofMinutes(8)));
		written.accept(events(1, 10));

		assertThat(ids(written.find(all(2)))).containsExactly(10L, 9L);
		WrittenCloseEvents later = new WrittenCloseEvents(5, retention(Duration.ofMinutes(10), 5_000_000), true,
				Clock.offset(this.clock, Duration.ofMinutes(9)));
		later.accept(events(1, 10));

		assertThat(later.find(all(2))).isNull();
	}

	private static List<CloseEvent> events(long first, long last) {
		return LongStream.rangeClosed(first, last).mapToObj((id) -> closeEvent(id).build()).toList();
	}

	private static HistoryProperties.Retention retention(Duration maxAge, long maxEvents) {
		return new HistoryProperties.Retention(maxAge, maxEvents, Duration.ofMinutes(1), 1000);
	}

}
