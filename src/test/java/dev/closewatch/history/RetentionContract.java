package dev.closewatch.history;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import dev.closewatch.closeevent.CloseEvent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.closewatch.history.CloseEventHistoryContract.all;
import static dev.closewatch.history.CloseEventHistoryContract.ids;
import static dev.closewatch.history.TestCloseEvents.EPOCH;
import static dev.closewatch.history.TestCloseEvents.closeEvent;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retention of the durable stores, against SQLite and a real PostgreSQL.
 */
abstract class RetentionContract {

	private JdbcCloseEventStore store;

	abstract JdbcCloseEventStore newStore() throws Exception;

	@BeforeEach
	void createStore() throws Exception {
		this.store = newStore();
	}

	// event n closes n hours after EPOCH
	private void insertHourly(int count) throws Exception {
		List<CloseEvent> events = new ArrayList<>();
		for (int n = 1; n <= count; n++) {
			events.add(closeEvent(n).upstream((n % 2 == 0) ? "gone-from-config" : "prices")
				.closedAt(EPOCH.plus(Duration.ofHours(n)))
				.build());
		}
		this.store.insert(events);
	}

	private Retention retention(Duration maxAge, long maxEvents, int batchSize, Duration clockAfterEpoch) {
		Clock clock = Clock.fixed(EPOCH.plus(clockAfterEpoch), ZoneOffset.UTC);
		return new Retention(this.store,
				new HistoryProperties.Retention(maxAge, maxEvents, Duration.ofMinutes(1), batchSize), clock);
	}

	@Test
	void removesEventsOlderThanMaxAgeInBatches() throws Exception {
		insertHourly(50);
		Retention retention = retention(Duration.ofHours(24), 1_000_000, 7, Duration.ofHours(50));

		retention.run();

		// the clock is at hour 50: events closed before hour 26 go
		assertThat(ids(this.store.find(all(100)))).hasSize(25).allMatch((id) -> id >= 26);
		assertThat(retention.evictedByAge()).isEqualTo(25);
		assertThat(retention.evictedByCount()).isZero();
	}

	@Test
	void removesEventsOlderThanMaxAgeRecordedAfterTheClockWasSetBack() throws Exception {
		insertHourly(10);
		// recorded last, closed at hour 2: the clock was set back
		this.store.insert(List.of(closeEvent(11).closedAt(EPOCH.plus(Duration.ofMinutes(150))).build(),
				closeEvent(12).closedAt(EPOCH.plus(Duration.ofHours(9))).build()));
		Retention retention = retention(Duration.ofHours(6), 1_000_000, 2, Duration.ofHours(10));

		retention.run();

		// the clock is at hour 10: events closed before hour 4 go
		assertThat(ids(this.store.find(all(100)))).containsExactly(12L, 10L, 9L, 8L, 7L, 6L, 5L, 4L);
		assertThat(retention.evictedByAge()).isEqualTo(4);
	}

	@Test
	void keepsAtMostMaxEventsRemovingTheOldest() throws Exception {
		insertHourly(50);
		Retention retention = retention(Duration.ofDays(365), 20, 6, Duration.ofHours(50));

		retention.run();

		assertThat(ids(this.store.find(all(100)))).hasSize(20).allMatch((id) -> id > 30);
		assertThat(retention.evictedByCount()).isEqualTo(30);
		assertThat(retention.evictedByAge()).isZero();
	}

	@Test
	void appliesWhicheverLimitHitsFirst() throws Exception {
		insertHourly(50);
		Retention retention = retention(Duration.ofHours(30), 10, 1000, Duration.ofHours(50));

		retention.run();

		assertThat(ids(this.store.find(all(100)))).containsExactly(50L, 49L, 48L, 47L, 46L, 45L, 44L, 43L, 42L, 41L);
		assertThat(retention.evictedByAge()).isEqualTo(19);
		assertThat(retention.evictedByCount()).isEqualTo(21);
	}

	@Test
	void removesNothingWithinLimitsWhateverTheUpstream() throws Exception {
		insertHourly(50);
		Retention retention = retention(Duration.ofDays(30), 5_000_000, 1000, Duration.ofHours(50));

		retention.run();

		// no upstream is configured here at all: history stays until retention takes it
		assertThat(this.store.count()).isEqualTo(50);
		assertThat(retention.evictedByAge() + retention.evictedByCount()).isZero();
	}

}
