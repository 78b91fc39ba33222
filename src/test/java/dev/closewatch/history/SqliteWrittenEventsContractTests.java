package dev.closewatch.history;

import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code sqlite} store against the shared contract with the newest written events
 * answering the pages they hold whole: a tier of 7 events, so that the contract's queries
 * are answered from memory, from the store, and after evictions, and must agree.
 */
class SqliteWrittenEventsContractTests extends CloseEventHistoryContract {

	@TempDir
	Path directory;

	@Override
	HistoryFixture newFixture() {
		return StoreFixtures.durableWithWrittenEvents(
				StoreFixtures.sqliteDataSource(this.directory.resolve("closewatch.db")), HistoryStore.SQLITE, 7);
	}

}
