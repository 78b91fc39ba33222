package dev.closewatch.history;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.closewatch.testserver.EmbeddedPostgresServer;
import org.flywaydb.core.Flyway;
import org.jspecify.annotations.Nullable;
import org.sqlite.SQLiteDataSource;

import static org.awaitility.Awaitility.await;

/**
 * Durable stores for the tests: a SQLite file or a database on the shared embedded
 * PostgreSQL server, migrated by the application's own Flyway scripts, with a started
 * writer.
 */
final class StoreFixtures {

	private StoreFixtures() {
	}

	static DataSource sqliteDataSource(Path file) {
		SqliteNewFile.createIfAbsent(file);
		SQLiteDataSource dataSource = new SQLiteDataSource();
		dataSource.setUrl(HistoryStoreEnvironment.sqliteUrl(file));
		return dataSource;
	}

	static DataSource postgresqlDataSource(String prefix) {
		return EmbeddedPostgresServer.newDatabase(prefix).dataSource();
	}

	/**
	 * Return a Hikari pool, as the application's, on a new migrated database of the
	 * shared embedded PostgreSQL server.
	 * @param prefix the database's name prefix
	 * @param poolName the pool's name
	 * @param maximumPoolSize its size
	 * @param connectionInitSql a statement each of its connections runs first, or
	 * {@code null}
	 */
	static HikariDataSource postgresqlPool(String prefix, String poolName, int maximumPoolSize,
			@Nullable String connectionInitSql) {
		HikariDataSource pool = new HikariDataSource();
		pool.setJdbcUrl(EmbeddedPostgresServer.newDatabase(prefix).url());
		pool.setUsername("postgres");
		pool.setPassword("postgres");
		pool.setPoolName(poolName);
		pool.setMaximumPoolSize(maximumPoolSize);
		pool.setConnectionInitSql(connectionInitSql);
		migrated(pool, HistoryStore.POSTGRESQL);
		return pool;
	}

	static JdbcCloseEventStore migrated(DataSource dataSource, HistoryStore store) {
		Flyway.configure()
			.dataSource(dataSource)
			.locations("classpath:db/migration/" + store.name().toLowerCase())
			.load()
			.migrate();
		return new JdbcCloseEventStore(dataSource, store, SynchronousCommit.OFF);
	}

	static Durable durable(DataSource dataSource, HistoryStore store) {
		return durable(migrated(dataSource, store), Clock.systemUTC());
	}

	static Durable durable(JdbcCloseEventStore store, Clock clock) {
		return durable(store, clock, null);
	}

	/**
	 * A durable history whose newest written events answer the pages they hold whole.
	 * @param dataSource the store's data source
	 * @param store the kind of store
	 * @param capacity how many written events are kept in memory
	 * @return the history
	 */
	static Durable durableWithWrittenEvents(DataSource dataSource, HistoryStore store, int capacity) {
		Clock clock = Clock.fixed(TestCloseEvents.EPOCH, ZoneOffset.UTC);
		HistoryProperties.Retention retention = new HistoryProperties.Retention(Duration.ofDays(36500), capacity,
				Duration.ofMinutes(1), 1000);
		return durable(migrated(dataSource, store), clock,
				new WrittenCloseEvents(new InMemoryCloseEventHistory(capacity), retention, true, clock));
	}

	/**
	 * As {@link #durableWithWrittenEvents}, with the events kept in a {@link QueueFile}
	 * from their recording to their commit.
	 * @param dataSource the store's data source
	 * @param store the kind of store
	 * @param capacity how many recent events are kept in memory
	 * @param queueFile the queue file
	 * @return the history
	 */
	static Durable durableWithQueueFile(DataSource dataSource, HistoryStore store, int capacity, Path queueFile) {
		Clock clock = Clock.fixed(TestCloseEvents.EPOCH, ZoneOffset.UTC);
		HistoryProperties.Retention retention = new HistoryProperties.Retention(Duration.ofDays(36500), capacity,
				Duration.ofMinutes(1), 1000);
		JdbcCloseEventStore migrated = migrated(dataSource, store);
		return durable(migrated, clock,
				new WrittenCloseEvents(new InMemoryCloseEventHistory(capacity), retention, true, clock),
				QueueFileRecovery.open(queueFile, HistoryStoreEnvironment.SQLITE_QUEUE_FILE, migrated));
	}

	private static Durable durable(JdbcCloseEventStore store, Clock clock, @Nullable WrittenCloseEvents written) {
		return durable(store, clock, written, null);
	}

	private static Durable durable(JdbcCloseEventStore store, Clock clock, @Nullable WrittenCloseEvents written,
			@Nullable QueueFile queueFile) {
		HistoryProperties.Writer settings = new HistoryProperties.Writer(1000, 50, Duration.ofMillis(100),
				Duration.ofSeconds(5), Duration.ZERO);
		MonitorRun run = new MonitorRun("test-" + System.nanoTime(), "test", Instant.now(clock));
		store.startRun(run);
		WrittenCloseEvents tier = (written != null) ? written
				: new WrittenCloseEvents(new InMemoryCloseEventHistory(100),
						new HistoryProperties.Retention(Duration.ofDays(30), 5_000_000, Duration.ofMinutes(1), 1000),
						false, clock);
		CloseEventWriter writer = new CloseEventWriter(store, settings, run, clock,
				(queueFile != null) ? tier.andThen(queueFile::remove) : tier);
		writer.start();
		return new Durable(store, writer, new DurableCloseEventHistory(writer, tier, store, queueFile));
	}

	/**
	 * A durable history with its store and writer.
	 */
	record Durable(JdbcCloseEventStore store, CloseEventWriter writer,
			DurableCloseEventHistory history) implements CloseEventHistoryContract.HistoryFixture {

		@Override
		public void awaitStored() {
			await().atMost(Duration.ofSeconds(10)).until(() -> this.writer.pending() == 0);
		}

		@Override
		public void close() {
			this.writer.stop();
		}

	}

}
