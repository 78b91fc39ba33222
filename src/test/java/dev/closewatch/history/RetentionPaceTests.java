package dev.closewatch.history;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RetentionPaceTests {

	@Test
	void startsSqlitesAtTheConfiguredBatchSizeWithTheShortestPause() {
		RetentionPace pace = RetentionPace.of(HistoryStore.SQLITE, 200);

		assertThat(pace.size()).isEqualTo(200);
		assertThat(pace.pause()).isEqualTo(RetentionPace.MIN_PAUSE);
	}

	@Test
	void shrinksATransactionThatHeldTheLockTooLongToWhatFitsTheTarget() {
		RetentionPace pace = RetentionPace.of(HistoryStore.SQLITE, 200);

		// 200 rows in 20 ms: 30 fit in 3 ms
		pace.took(Duration.ofMillis(20));

		assertThat(pace.size()).isEqualTo(30);
	}

	@Test
	void growsAQuickTransactionByHalfAtMostAndNeverBeyondTheBatchSize() {
		RetentionPace pace = RetentionPace.of(HistoryStore.SQLITE, 200);
		pace.took(Duration.ofMillis(100));
		assertThat(pace.size()).isEqualTo(10);

		pace.took(Duration.ofMillis(1));
		assertThat(pace.size()).isEqualTo(15);
		pace.took(Duration.ofMillis(1));
		pace.took(Duration.ofMillis(1));
		pace.took(Duration.ofMillis(1));
		assertThat(pace.size()).isEqualTo(49);
		for (int quick = 0; quick < 4; quick++) {
			pace.took(Duration.ofMillis(1));
		}
		assertThat(pace.size()).isEqualTo(200);
	}

	@Test
	void neverDeletesFewerThanTheFloorHoweverSlowTheDisk() {
		RetentionPace pace = RetentionPace.of(HistoryStore.SQLITE, 200);

		pace.took(Duration.ofSeconds(2));

		assertThat(pace.size()).isEqualTo(RetentionPace.FLOOR);
	}

	@Test
	void keepsABatchSizeBelowTheFloor() {
		RetentionPace pace = RetentionPace.of(HistoryStore.SQLITE, 3);

		pace.took(Duration.ofSeconds(2));

		assertThat(pace.size()).isEqualTo(3);
	}

	@Test
	void standsBackThreeTimesAsLongAsASlowTransactionTook() {
		RetentionPace pace = RetentionPace.of(HistoryStore.SQLITE, 200);

		pace.took(Duration.ofMillis(40));
		assertThat(pace.pause()).isEqualTo(Duration.ofMillis(120));

		pace.took(Duration.ofMillis(2));
		assertThat(pace.pause()).isEqualTo(RetentionPace.MIN_PAUSE);
	}

	@Test
	void keepsPostgresqlsTransactionsAndPausesSteadyHoweverLongTheyTake() {
		RetentionPace pace = RetentionPace.of(HistoryStore.POSTGRESQL, 200);

		pace.took(Duration.ofMillis(40));

		assertThat(pace.size()).isEqualTo(200);
		assertThat(pace.pause()).isEqualTo(RetentionPace.MIN_PAUSE);
	}

}
