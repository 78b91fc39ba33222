package dev.closewatch.history;

class PostgresqlRetentionTests extends RetentionContract {

	@Override
	JdbcCloseEventStore newStore() {
		return StoreFixtures.migrated(StoreFixtures.postgresqlDataSource("retention"), HistoryStore.POSTGRESQL);
	}

}
