package dev.closewatch.history;

import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code sqlite} store against the shared contract with a {@link QueueFile}: events
 * shown from their recording, before their commit, by a tier of 7 events, so that the
 * contract's queries are answered from memory, from the store, and after evictions, and
 * must agree.
 */
class SqliteQueueFileContractTests extends CloseEventHistoryContract {

	@TempDir
	Path directory;

	@Override
	HistoryFixture newFixture() {
		return StoreFixtures.durableWithQueueFile(
				StoreFixtures.sqliteDataSource(this.directory.resolve("closewatch.db")), HistoryStore.SQLITE, 7,
				this.directory.resolve("closewatch.db-queue"));
	}

}
