package dev.closewatch.history;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class QueueFileLocationTests {

	@Test
	void liesBesideTheSqliteDatabase() {
		MockEnvironment environment = sqlite("jdbc:sqlite:/var/lib/closewatch/closewatch.db?journal_mode=WAL");

		assertThat(HistoryStoreEnvironment.queueFile(environment))
			.isEqualTo(Path.of("/var/lib/closewatch/closewatch.db-queue"));
	}

	@Test
	void isNoneForASqliteDatabaseInMemoryOrWhenTurnedOff() {
		assertThat(HistoryStoreEnvironment.queueFile(sqlite("jdbc:sqlite::memory:"))).isNull();
		assertThat(HistoryStoreEnvironment.queueFile(sqlite("jdbc:sqlite:/data/closewatch.db")
			.withProperty("closewatch.history.sqlite.queue-file", "false"))).isNull();
	}

	@Test
	void isNamedAfterThePostgresqlDatabaseInTheTemporaryDirectory() {
		Path prices = HistoryStoreEnvironment.queueFile(postgresql("jdbc:postgresql://db:5432/prices"));
		Path quotes = HistoryStoreEnvironment.queueFile(postgresql("jdbc:postgresql://db:5432/quotes"));

		assertThat(prices).isEqualTo(HistoryStoreEnvironment.queueFile(postgresql("jdbc:postgresql://db:5432/prices")))
			.isNotEqualTo(quotes);
		assertThat(prices.getParent()).isEqualTo(Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath());
		assertThat(prices.getFileName().toString()).matches("closewatch-[0-9a-f]{16}\\.queue");
	}

	@Test
	void isNoneForReplicasSharingPostgresqlOrWhenTurnedOff() {
		assertThat(HistoryStoreEnvironment.queueFile(
				postgresql("jdbc:postgresql://db/closewatch").withProperty("closewatch.cluster.enabled", "true")))
			.isNull();
		assertThat(HistoryStoreEnvironment.queueFile(postgresql("jdbc:postgresql://db/closewatch")
			.withProperty("closewatch.history.postgresql.queue-file", "false"))).isNull();
	}

	@Test
	void isNoneForTheMemoryStore() {
		assertThat(HistoryStoreEnvironment
			.queueFile(new MockEnvironment().withProperty("closewatch.history.store", "memory"))).isNull();
	}

	private static MockEnvironment sqlite(String url) {
		return new MockEnvironment().withProperty("closewatch.history.store", "sqlite")
			.withProperty("spring.datasource.url", url);
	}

	private static MockEnvironment postgresql(String url) {
		return new MockEnvironment().withProperty("closewatch.history.store", "postgresql")
			.withProperty("spring.datasource.url", url);
	}

}
