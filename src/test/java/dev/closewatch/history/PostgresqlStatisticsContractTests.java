package dev.closewatch.history;

import java.time.Clock;
import java.time.Instant;

/**
 * The statistics of the {@code postgresql} store against the shared contract, computed in
 * SQL on a real PostgreSQL server with a database of its own per test.
 */
class PostgresqlStatisticsContractTests extends CloseEventStatisticsContract {

	@Override
	StatisticsFixture newFixture(Instant startedAt, Clock clock) {
		return StatisticsFixtures.durable(StoreFixtures.postgresqlDataSource("statistics"), HistoryStore.POSTGRESQL,
				startedAt, clock);
	}

}
