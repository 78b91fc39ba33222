package dev.closewatch.history;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import dev.closewatch.closeevent.CloseEvent;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.closewatch.history.CloseEventHistoryContract.ids;
import static dev.closewatch.history.CloseEventHistoryContract.query;
import static dev.closewatch.history.TestCloseEvents.EPOCH;
import static dev.closewatch.history.TestCloseEvents.closeEvent;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A SQLite file written before {@code close_event_minute} existed: the migration fills
 * the minutes from the events already there, so their time ranges are found as before.
 */
class SqliteMinuteMigrationTests {

	@TempDir
	Path directory;

	@Test
	void fillsTheMinutesOfTheEventsAlreadyStored() throws Exception {
		DataSource dataSource = StoreFixtures.sqliteDataSource(this.directory.resolve("closewatch.db"));
		flyway(dataSource).target("3").load().migrate();
		List<CloseEvent> events = new ArrayList<>();
		for (int n = 1; n <= 6; n++) {
			events.add(closeEvent(n).upstream((n % 2 == 0) ? "chat" : "prices")
				.closedAt(EPOCH.plus(Duration.ofMinutes(10L * n)))
				.build());
		}
		// the clock set back: recorded last, closed first
		events.add(closeEvent(7).closedAt(EPOCH.plusSeconds(30)).build());
		new JdbcCloseEventStore(dataSource, HistoryStore.SQLITE, SynchronousCommit.OFF).insert(events);

		JdbcCloseEventStore store = StoreFixtures.migrated(dataSource, HistoryStore.SQLITE);

		assertThat(store.jdbc().queryForObject("SELECT COUNT(*) FROM close_event_minute", Integer.class)).isEqualTo(7);
		assertThat(ids(store.find(query("prices", null, null, EPOCH, EPOCH.plus(Duration.ofMinutes(35)), null, 10))))
			.containsExactly(7L, 3L, 1L);
		assertThat(store.jdbc()
			.queryForList("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'close_event'",
					String.class))
			.doesNotContain("close_event_upstream_closed_at")
			.contains("close_event_upstream_id");
	}

	private static FluentConfiguration flyway(DataSource dataSource) {
		return Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/sqlite");
	}

}
