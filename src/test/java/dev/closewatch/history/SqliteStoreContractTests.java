package dev.closewatch.history;

import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code sqlite} store against the shared contract, on a file of its own per test.
 */
class SqliteStoreContractTests extends CloseEventHistoryContract {

	@TempDir
	Path directory;

	@Override
	HistoryFixture newFixture() {
		return StoreFixtures.durable(StoreFixtures.sqliteDataSource(this.directory.resolve("closewatch.db")),
				HistoryStore.SQLITE);
	}

}
