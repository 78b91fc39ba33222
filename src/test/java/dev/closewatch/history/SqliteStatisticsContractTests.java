package dev.closewatch.history;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;

import org.junit.jupiter.api.io.TempDir;

/**
 * The statistics of the {@code sqlite} store against the shared contract, computed in SQL
 * on a file of its own per test.
 */
class SqliteStatisticsContractTests extends CloseEventStatisticsContract {

	@TempDir
	Path directory;

	@Override
	StatisticsFixture newFixture(Instant startedAt, Clock clock) {
		return StatisticsFixtures.durable(StoreFixtures.sqliteDataSource(this.directory.resolve("closewatch.db")),
				HistoryStore.SQLITE, startedAt, clock);
	}

}
