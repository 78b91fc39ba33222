package dev.closewatch.history;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.LongStream;

import javax.sql.DataSource;

import dev.closewatch.closeevent.CloseEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The background checkpoint of a real SQLite file: it copies the log into the database
 * file without the writer, and the log stays bounded while the writer commits without
 * pause, since the writer's own automatic checkpoint still starts it over.
 */
class SqliteCheckpointerTests {

	private static final long PAGE = 4096;

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
	void keepsTheLogBoundedWhileTheWriterCommitsWithoutPause() throws SQLException {
		Path file = this.temp.resolve("closewatch.db");
		DataSource dataSource = StoreFixtures.sqliteDataSource(file);
		JdbcCloseEventStore store = StoreFixtures.migrated(dataSource, HistoryStore.SQLITE);
		SqliteCheckpointer checkpointer = new SqliteCheckpointer(store.jdbc(), Clock.systemUTC());
		Path log = Path.of(file + "-wal");
		long largestLog = 0;
		long written = 0;
		try (Connection pooled = dataSource.getConnection()) {
			checkpointer.start();
			// 4,000 commits of 50 events: some 20,000 pages through the log, which
			// would be its size were it never started over
			for (long id = 1; id <= 200_000; id += 50) {
				store.insert(events(id, 50));
				written += 50;
				largestLog = Math.max(largestLog, Files.exists(log) ? size(log) : 0);
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> checkpointer.checkpoints() >= 3);
		}
		finally {
			checkpointer.stop();
		}

		assertThat(store.count()).isEqualTo(written);
		// started over again and again: the stand-back size plus what the writer
		// committed during one slow checkpoint of this thread, on a busy machine (CI saw
		// 7,000 pages), never the whole of it
		assertThat(largestLog).as("the log's largest size in pages")
			.isLessThan(SqliteCheckpointer.STAND_BACK_PAGES * 5 / 2 * PAGE);
		assertThat(checkpointer.checkpoints()).isGreaterThanOrEqualTo(3);
	}

	private static List<CloseEvent> events(long firstId, int count) {
		return LongStream.range(firstId, firstId + count)
			.mapToObj((id) -> TestCloseEvents.closeEvent(id)
				.upstream("feed-" + (id % 97))
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
