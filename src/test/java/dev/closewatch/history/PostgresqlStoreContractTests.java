package dev.closewatch.history;

/**
 * The {@code postgresql} store against the shared contract, on a real PostgreSQL server
 * with a database of its own per test.
 */
class PostgresqlStoreContractTests extends CloseEventHistoryContract {

	@Override
	HistoryFixture newFixture() {
		return StoreFixtures.durable(StoreFixtures.postgresqlDataSource("contract"), HistoryStore.POSTGRESQL);
	}

}
