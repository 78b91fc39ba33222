package dev.closewatch.history;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import dev.closewatch.closeevent.CloseEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.closewatch.history.CloseEventHistoryContract.ids;
import static dev.closewatch.history.CloseEventHistoryContract.query;
import static dev.closewatch.history.TestCloseEvents.EPOCH;
import static dev.closewatch.history.TestCloseEvents.closeEvent;
import static org.assertj.core.api.Assertions.assertThat;

class SqliteRetentionTests extends RetentionContract {

	@TempDir
	Path directory;

	@Override
	JdbcCloseEventStore newStore() {
		return StoreFixtures.migrated(StoreFixtures.sqliteDataSource(this.directory.resolve("closewatch.db")),
				HistoryStore.SQLITE);
	}

	@Test
	void forgetsTheMinutesBeforeTheOldestEventLeftAndStillFindsTheRest() throws Exception {
		JdbcCloseEventStore store = newStore();
		List<CloseEvent> events = new ArrayList<>();
		for (int n = 1; n <= 10; n++) {
			events.add(closeEvent(n).closedAt(EPOCH.plus(Duration.ofHours(n))).build());
		}
		// recorded last, closed first: the clock was set back
		events.add(closeEvent(11).closedAt(EPOCH.plus(Duration.ofMinutes(150))).build());
		store.insert(events);
		assertThat(minutes(store)).isEqualTo(11);

		Clock clock = Clock.fixed(EPOCH.plus(Duration.ofHours(12)), ZoneOffset.UTC);
		new Retention(store,
				new HistoryProperties.Retention(Duration.ofMinutes(9 * 60 + 30), 1_000_000, Duration.ofMinutes(1), 100),
				clock)
			.run();

		// events 1 and 2 (hours 1 and 2) went; 11 (02:30) is the oldest left
		assertThat(minutes(store)).isEqualTo(9);
		assertThat(ids(store.find(query("prices", null, null, EPOCH, EPOCH.plus(Duration.ofHours(4)), null, 10))))
			.containsExactly(11L, 3L);
	}

	private static int minutes(JdbcCloseEventStore store) {
		return store.jdbc().queryForObject("SELECT COUNT(*) FROM close_event_minute", Integer.class);
	}

}
