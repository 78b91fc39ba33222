package dev.closewatch.history;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.LongStream;

import javax.sql.DataSource;

import dev.closewatch.closeevent.CloseEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The background checkpoint of a real SQLite file: it copies the log into the database
 * file without the writer, starts the log over while the writer commits without pause,
 * and never holds the writer back for long behind a reader.
 */
class SqliteCheckpointerTests {

	private static final long PAGE = 4096;

	private static final int RESTART_PAGES = 1_000;

	@TempDir
	private Path temp;

	@Test
	void copiesTheLogIntoTheDatabaseFileWithoutTheWriter() throws SQLException {
		Path file = this.temp.resolve("closewatch.db");
		DataSource dataSource = StoreFixtures.sqliteDataSource(file);
		JdbcCloseEventStore store = StoreFixtures.migrated(dataSource, HistoryStore.SQLITE);
		SqliteCheckpointer checkpointer = new SqliteCheckpointer(store.jdbc(), Clock.systemUTC());
		long logPages;
		// an open connection, as the pool keeps: the last one to close would
		// checkpoint the log and remove it
		try (Connection pooled = dataSource.getConnection()) {
			store.insert(events(1, 200));

			logPages = checkpointer.checkpoint();
		}

		assertThat(logPages).isPositive();
		assertThat(checkpointer.checkpoints()).isEqualTo(1);
		// everything in the log is in the database file now
		assertThat(checkpointer.copiedPages()).isEqualTo(logPages);
		assertThat(store.count()).isEqualTo(200);
	}

	@Test
	void startsTheLogOverWhileTheWriterCommitsWithoutPause() throws SQLException {
		Path file = this.temp.resolve("closewatch.db");
		DataSource dataSource = StoreFixtures.sqliteDataSource(file);
		JdbcCloseEventStore store = StoreFixtures.migrated(dataSource, HistoryStore.SQLITE);
		SqliteCheckpointer checkpointer = new SqliteCheckpointer(store.jdbc(), Clock.systemUTC(),
				Duration.ofMillis(100), RESTART_PAGES);
		Path log = Path.of(file + "-wal");
		long largestLog = 0;
		long written = 0;
		try (Connection pooled = dataSource.getConnection()) {
			checkpointer.start();
			// 2,000 commits of 50 events of three upstreams a millisecond apart, as a
			// writer that lingers for more: tens of thousands of pages through the log,
			// more than SQLite's own checkpoint waits for (32,000)
			for (long id = 1; id <= 100_000; id += 50) {
				store.insert(events(id, 50, 3));
				written += 50;
				largestLog = Math.max(largestLog, Files.exists(log) ? size(log) : 0);
				LockSupport.parkNanos(Duration.ofMillis(1).toNanos());
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> checkpointer.restarts() >= 1);
		}
		finally {
			checkpointer.stop();
		}
		System.out.println("restarts " + checkpointer.restarts() + " checkpoints " + checkpointer.checkpoints()
				+ " largest " + largestLog / PAGE);

		assertThat(store.count()).isEqualTo(written);
		assertThat(HistoryStoreEnvironment.sqliteUrl(file))
			.contains("wal_autocheckpoint=" + SqliteCheckpointer.AUTOCHECKPOINT_PAGES);
		// started over again and again: the restart size plus what the writer committed
		// during a few slow checkpoints on a busy machine, never the whole of it
		assertThat(largestLog).as("the log's largest size in bytes").isLessThan(4 * RESTART_PAGES * PAGE);
	}

	@Test
	void givesUpStartingTheLogOverRatherThanHoldTheWriterBehindALongRead() throws SQLException {
		Path file = this.temp.resolve("closewatch.db");
		DataSource dataSource = StoreFixtures.sqliteDataSource(file);
		JdbcCloseEventStore store = StoreFixtures.migrated(dataSource, HistoryStore.SQLITE);
		try (Connection reader = dataSource.getConnection(); Statement read = reader.createStatement()) {
			SingleConnectionDataSource own = new SingleConnectionDataSource(dataSource.getConnection(), false);
			JdbcTemplate jdbc = new JdbcTemplate(own);
			jdbc.execute("PRAGMA busy_timeout = 5000");
			SqliteCheckpointer checkpointer = new SqliteCheckpointer(jdbc, Clock.systemUTC(), Duration.ofMillis(100),
					1);
			store.insert(events(1, 10));
			// a read transaction on the snapshot of these ten events, left open
			reader.setAutoCommit(false);
			try (ResultSet rows = read.executeQuery("SELECT COUNT(*) FROM close_event")) {
				rows.next();
			}
			store.insert(events(11, 10));

			long start = System.nanoTime();
			checkpointer.checkpoint();
			Duration took = Duration.ofNanos(System.nanoTime() - start);

			assertThat(checkpointer.restarts()).isZero();
			// the connection's busy timeout (5 s) would have held the writer back that
			// long
			assertThat(took).isLessThan(Duration.ofSeconds(3));
			assertThat(jdbc.queryForObject("PRAGMA busy_timeout", Long.class)).as("the busy timeout after it")
				.isEqualTo(5000);
			reader.rollback();

			checkpointer.checkpoint();
			assertThat(checkpointer.restarts()).isOne();
			own.destroy();
		}
		assertThat(store.count()).isEqualTo(20);
	}

	private static List<CloseEvent> events(long firstId, int count) {
		return events(firstId, count, 97);
	}

	private static List<CloseEvent> events(long firstId, int count, int upstreams) {
		return LongStream.range(firstId, firstId + count)
			.mapToObj((id) -> TestCloseEvents.closeEvent(id)
				.upstream("feed-" + (id % upstreams))
				.closedAt(Instant.parse("2026-12-01T00:00:00Z").plusMillis(id))
				.build())
			.toList();
	}

	private static long size(Path file) {
		try {
			return Files.size(file);
		}
		catch (IOException ex) {
			return 0;
		}
	}

}
