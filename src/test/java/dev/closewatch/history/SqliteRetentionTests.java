package dev.closewatch.history;

import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;

class SqliteRetentionTests extends RetentionContract {

	@TempDir
	Path directory;

	@Override
	JdbcCloseEventStore newStore() {
		return StoreFixtures.migrated(StoreFixtures.sqliteDataSource(this.directory.resolve("closewatch.db")),
				HistoryStore.SQLITE);
	}

}
