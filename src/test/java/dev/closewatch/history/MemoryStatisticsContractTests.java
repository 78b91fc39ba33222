package dev.closewatch.history;

import java.time.Clock;
import java.time.Instant;

/**
 * The statistics of the {@code memory} store against the shared contract.
 */
class MemoryStatisticsContractTests extends CloseEventStatisticsContract {

	@Override
	StatisticsFixture newFixture(Instant startedAt, Clock clock) {
		return StatisticsFixtures.memory(startedAt, clock);
	}

}
