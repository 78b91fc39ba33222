package dev.closewatch.history;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import dev.closewatch.closeevent.CloseEvent;
import dev.closewatch.history.CloseEventStatisticsContract.StatisticsFixture;

/**
 * {@link CloseEventStatistics} of each store for the shared contract, on stores filled
 * directly rather than through the writer, so that the test decides every monitor run.
 */
final class StatisticsFixtures {

	private StatisticsFixtures() {
	}

	static StatisticsFixture memory(Instant startedAt, Clock clock) {
		InMemoryCloseEventHistory history = new InMemoryCloseEventHistory(1000);
		CloseEventStatistics statistics = new InMemoryCloseEventStatistics(history, startedAt, clock);
		return new StatisticsFixture() {

			@Override
			public CloseEventStatistics statistics() {
				return statistics;
			}

			@Override
			public void record(CloseEvent... events) {
				for (CloseEvent event : events) {
					history.record(event);
				}
			}

			@Override
			public boolean recordsRuns() {
				return false;
			}

			@Override
			public void earlierRun(String start, String end, boolean stopped) {
				throw new UnsupportedOperationException("the memory store keeps no earlier runs");
			}

			@Override
			public void close() {
			}

		};
	}

	static StatisticsFixture durable(DataSource dataSource, HistoryStore store, Instant startedAt, Clock clock) {
		JdbcCloseEventStore events = StoreFixtures.migrated(dataSource, store);
		MonitorRun current = new MonitorRun("current", "test", startedAt);
		events.startRun(current);
		CloseEventStatistics statistics = new JdbcCloseEventStatistics(
				new JdbcAvailability(events.jdbc(), store, current.id(), clock), new JdbcSummary(events.jdbc(), store));
		return new StatisticsFixture() {

			@Override
			public CloseEventStatistics statistics() {
				return statistics;
			}

			@Override
			public void record(CloseEvent... recorded) throws Exception {
				events.insert(List.of(recorded));
			}

			@Override
			public boolean recordsRuns() {
				return true;
			}

			@Override
			public void earlierRun(String start, String end, boolean stopped) {
				MonitorRun run = new MonitorRun(UUID.randomUUID().toString(), "test",
						CloseEventStatisticsContract.at(start));
				events.startRun(run);
				if (stopped) {
					events.stopRun(run.id(), CloseEventStatisticsContract.at(end));
				}
				else {
					events.runSeen(run.id(), CloseEventStatisticsContract.at(end));
				}
			}

			@Override
			public void close() {
			}

		};
	}

}
