package dev.closewatch.history;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import dev.closewatch.closeevent.CloseEvent;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.closewatch.history.CloseEventHistoryContract.ids;
import static dev.closewatch.history.CloseEventHistoryContract.query;
import static dev.closewatch.history.TestCloseEvents.EPOCH;
import static dev.closewatch.history.TestCloseEvents.closeEvent;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A SQLite file written while the events' ids had an index of their own: the migration
 * that makes the id the table's key keeps every event as it was, and the table, its
 * indexes and the minutes' trigger work on as before.
 */
class SqliteRowidMigrationTests {

	@TempDir
	Path directory;

	@Test
	void keepsEveryEventAndMakesTheIdTheTablesKey() throws Exception {
		DataSource dataSource = fileOfVersion6();
		List<CloseEvent> events = new ArrayList<>();
		for (int n = 1; n <= 6; n++) {
			events.add(closeEvent(n).upstream((n % 2 == 0) ? "chat" : "prices")
				.code(4000 + n)
				.closedAt(EPOCH.plus(Duration.ofMinutes(10L * n)))
				.build());
		}
		events.add(closeEvent(7).handshakeFailure().closedAt(EPOCH.plusSeconds(30)).build());
		new JdbcCloseEventStore(dataSource, HistoryStore.SQLITE, SynchronousCommit.OFF).insert(events);

		JdbcCloseEventStore store = StoreFixtures.migrated(dataSource, HistoryStore.SQLITE);

		assertThat(store.find(query(null, null, null, null, null, null, 100)))
			.containsExactlyElementsOf(events.stream().sorted((a, b) -> Long.compare(b.id(), a.id())).toList());
		assertThat(store.jdbc()
			.queryForObject("SELECT type FROM pragma_table_info('close_event') WHERE name = 'id'", String.class))
			.isEqualTo("INTEGER");
		assertThat(store.jdbc()
			.queryForList("SELECT name FROM sqlite_master WHERE tbl_name = 'close_event'", String.class))
			.containsExactlyInAnyOrder("close_event", "close_event_upstream_id", "close_event_closed_at",
					"close_event_code_id", "close_event_minute_span");
	}

	@Test
	void keepsFindingTimeRangesAndSkippingEventsAlreadyStoredAfterTheMigration() throws Exception {
		DataSource dataSource = fileOfVersion6();
		JdbcCloseEventStore before = new JdbcCloseEventStore(dataSource, HistoryStore.SQLITE, SynchronousCommit.OFF);
		before.insert(List.of(closeEvent(1).closedAt(EPOCH.plus(Duration.ofMinutes(5))).build()));
		JdbcCloseEventStore store = StoreFixtures.migrated(dataSource, HistoryStore.SQLITE);

		CloseEvent late = closeEvent(2).closedAt(EPOCH.plus(Duration.ofHours(2))).build();
		store.insert(List.of(late));
		store.insert(List.of(late));

		assertThat(ids(store.find(query("prices", null, null, EPOCH.plus(Duration.ofHours(1)), null, null, 10))))
			.containsExactly(2L);
		assertThat(ids(store.find(query("prices", null, null, EPOCH, EPOCH.plus(Duration.ofHours(1)), null, 10))))
			.containsExactly(1L);
		assertThat(store.jdbc().queryForObject("SELECT COUNT(*) FROM close_event", Integer.class)).isEqualTo(2);
	}

	// a file as the version before the rowid key left it
	private DataSource fileOfVersion6() {
		DataSource dataSource = StoreFixtures.sqliteDataSource(this.directory.resolve("closewatch.db"));
		Flyway.configure()
			.dataSource(dataSource)
			.locations("classpath:db/migration/sqlite")
			.target("6")
			.load()
			.migrate();
		return dataSource;
	}

}
