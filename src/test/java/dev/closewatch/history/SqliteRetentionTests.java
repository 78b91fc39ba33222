package dev.closewatch.history;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.datasource.SingleConnectionDataSource;

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
	void leavesTheConnectionItDeletedOnWithItsOwnAutomaticCheckpoint() throws Exception {
		SingleConnectionDataSource connection = new SingleConnectionDataSource(
				HistoryStoreEnvironment.sqliteUrl(this.directory.resolve("single.db")), true);
		try {
			JdbcCloseEventStore store = StoreFixtures.migrated(connection, HistoryStore.SQLITE);
			store.jdbc().execute("PRAGMA wal_autocheckpoint = 777");
			store.insert(List.of(closeEvent(1).closedAt(EPOCH).build(),
					closeEvent(2).closedAt(EPOCH.plus(Duration.ofDays(2))).build()));
			Retention retention = new Retention(store,
					new HistoryProperties.Retention(Duration.ofDays(1), 1_000, Duration.ofMinutes(1), 10),
					Clock.fixed(EPOCH.plus(Duration.ofDays(2)), ZoneOffset.UTC));

			retention.run();

			assertThat(retention.evictedByAge()).isOne();
			assertThat(store.jdbc().queryForObject("PRAGMA wal_autocheckpoint", Integer.class)).isEqualTo(777);
		}
		finally {
			connection.destroy();
		}
	}

}
