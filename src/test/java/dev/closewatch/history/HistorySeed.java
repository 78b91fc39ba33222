package dev.closewatch.history;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

import javax.sql.DataSource;

import org.postgresql.ds.PGSimpleDataSource;

/**
 * Fills a new history store with old close events, for bench/driver.js's close-to-visible
 * while retention prunes ({@code --stores sqlite+prune,postgresql+prune}): {@code events}
 * events of 5,000 upstreams closed between {@code from-days} and {@code to-days} ago, all
 * older than the default {@code max-age} (30 days), with ids from 1, migrated by
 * closewatch's own Flyway scripts. The closewatch started on the store afterwards takes
 * ids above them and its retention deletes every one. A program, not a test.
 * <p>
 * {@code HistorySeed sqlite FILE EVENTS} or
 * {@code HistorySeed postgresql JDBC-URL EVENTS} (user and password {@code postgres}, as
 * bench/pg.sh sets them).
 */
final class HistorySeed {

	private static final int BATCH = 10_000;

	private static final Duration FROM = Duration.ofDays(60);

	private static final Duration TO = Duration.ofDays(31);

	private HistorySeed() {
	}

	public static void main(String[] args) throws SQLException {
		if (args.length != 3) {
			throw new IllegalArgumentException("usage: HistorySeed sqlite FILE EVENTS | postgresql JDBC-URL EVENTS");
		}
		HistoryStore kind = HistoryStore.valueOf(args[0].toUpperCase(Locale.ROOT));
		long events = Long.parseLong(args[2]);
		DataSource dataSource = switch (kind) {
			case SQLITE -> StoreFixtures.sqliteDataSource(Path.of(args[1]));
			case POSTGRESQL -> postgresql(args[1]);
			case MEMORY -> throw new IllegalArgumentException("the memory store keeps nothing to seed");
		};
		JdbcCloseEventStore store = StoreFixtures.migrated(dataSource, kind);
		Instant now = Instant.now();
		SyntheticCloseEvents synthetic = new SyntheticCloseEvents(5_000, 20, 29, now.minus(FROM));
		long start = System.nanoTime();
		synthetic.generate(1, events, now.minus(FROM), now.minus(TO), BATCH, (batch) -> {
			try {
				store.insert(batch);
			}
			catch (SQLException ex) {
				throw new IllegalStateException(ex);
			}
		});
		System.out.printf(Locale.ROOT, "seeded %,d close events %d to %d days old into the %s store in %.1f s%n",
				events, FROM.toDays(), TO.toDays(), args[0], (System.nanoTime() - start) / 1e9);
	}

	private static DataSource postgresql(String url) {
		PGSimpleDataSource dataSource = new PGSimpleDataSource();
		dataSource.setUrl(url);
		dataSource.setUser("postgres");
		dataSource.setPassword("postgres");
		dataSource.setReWriteBatchedInserts(true);
		return dataSource;
	}

}
