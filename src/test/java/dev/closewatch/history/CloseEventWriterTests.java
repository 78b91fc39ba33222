package dev.closewatch.history;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import javax.sql.DataSource;

import dev.closewatch.closeevent.CloseEvent;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.health.contributor.Status;
import org.springframework.jdbc.datasource.DelegatingDataSource;

import static dev.closewatch.history.CloseEventHistoryContract.all;
import static dev.closewatch.history.CloseEventHistoryContract.ids;
import static dev.closewatch.history.TestCloseEvents.closeEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The writer on a real SQLite file whose connections can be refused, as while a database
 * restarts.
 */
class CloseEventWriterTests {

	@TempDir
	Path directory;

	private final AtomicBoolean down = new AtomicBoolean();

	private CloseEventWriter writer;

	private JdbcCloseEventStore store;

	private CloseEventWriter start(int queueCapacity, Duration backPressure) {
		return start(queueCapacity, backPressure, Duration.ofSeconds(2));
	}

	private CloseEventWriter start(int queueCapacity, Duration backPressure, Duration shutdownTimeout) {
		return start(new HistoryProperties.Writer(queueCapacity, 3, backPressure, shutdownTimeout, Duration.ZERO),
				(batch) -> {
				});
	}

	private CloseEventWriter start(HistoryProperties.Writer settings, Consumer<List<CloseEvent>> committed) {
		DataSource sqlite = StoreFixtures.sqliteDataSource(this.directory.resolve("closewatch.db"));
		StoreFixtures.migrated(sqlite, HistoryStore.SQLITE);
		DataSource refusing = new DelegatingDataSource(sqlite) {

			@Override
			public Connection getConnection() throws SQLException {
				if (CloseEventWriterTests.this.down.get()) {
					throw new SQLTransientConnectionException("Connection refused", "08001");
				}
				return super.getConnection();
			}

		};
		this.store = new JdbcCloseEventStore(refusing, HistoryStore.SQLITE, SynchronousCommit.OFF);
		this.writer = new CloseEventWriter(this.store, settings, new MonitorRun("run", "test", Instant.now()),
				Clock.systemUTC(), committed);
		this.writer.start();
		return this.writer;
	}

	@AfterEach
	void stop() {
		this.down.set(false);
		if (this.writer != null) {
			this.writer.stop();
		}
	}

	@Test
	void writesEverythingQueuedWhileTheStoreWasDownInOrderOnceItReturns() {
		CloseEventWriter writer = start(100, Duration.ofMillis(50));
		HistoryStoreHealthIndicator health = new HistoryStoreHealthIndicator(writer, this.store);
		this.down.set(true);
		for (long id = 1; id <= 10; id++) {
			writer.enqueue(closeEvent(id).build());
		}

		await().atMost(Duration.ofSeconds(5)).until(() -> !writer.state().up());
		assertThat(health.health(true).getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.health(true).getDetails()).containsKey("error");
		assertThat(writer.state().error()).contains("closewatch.history.sqlite.path");
		this.down.set(false);

		await().atMost(Duration.ofSeconds(10)).until(() -> writer.pending() == 0);
		assertThat(ids(this.store.find(all(100)))).containsExactly(10L, 9L, 8L, 7L, 6L, 5L, 4L, 3L, 2L, 1L);
		assertThat(writer.state().up()).isTrue();
		assertThat(health.health(true).getStatus()).isEqualTo(Status.UP);
		assertThat(writer.dropped()).isZero();
	}

	@Test
	void dropsAndCountsOnlyWhatDoesNotFitAfterWaiting() {
		CloseEventWriter writer = start(4, Duration.ofMillis(20));
		this.down.set(true);
		long refused = 0;
		for (long id = 1; id <= 20; id++) {
			if (!writer.enqueue(closeEvent(id).build())) {
				refused++;
			}
		}

		// a full queue (4) and the batch being retried are kept, the rest is dropped:
		// that batch
		// holds 0 to 3 events, as many as the writer thread had found by then (0 if it
		// did not wake)
		long dropped = writer.dropped();
		assertThat(dropped).isBetween(13L, 16L);
		// enqueue says which it dropped
		assertThat(refused).isEqualTo(dropped);
		this.down.set(false);
		await().atMost(Duration.ofSeconds(10)).until(() -> writer.pending() == 0);
		// every event is either stored or counted as dropped, never both and never
		// neither
		assertThat(this.store.count()).isEqualTo(20 - dropped);
		assertThat(writer.dropped()).isEqualTo(dropped);
	}

	@Test
	void gathersTheEventsQueuedWithinTheLingerIntoOneBatch() throws InterruptedException {
		List<List<Long>> batches = new CopyOnWriteArrayList<>();
		CloseEventWriter writer = start(new HistoryProperties.Writer(100, 10, Duration.ofMillis(50),
				Duration.ofSeconds(2), Duration.ofMillis(500)),
				(batch) -> batches.add(batch.stream().map(CloseEvent::id).toList()));
		writer.enqueue(closeEvent(1).build());
		Thread.sleep(100);
		writer.enqueue(closeEvent(2).build());
		writer.enqueue(closeEvent(3).build());

		await().atMost(Duration.ofSeconds(5)).until(() -> writer.pending() == 0);
		assertThat(batches).containsExactly(List.of(1L, 2L, 3L));
		assertThat(ids(this.store.find(all(10)))).containsExactly(3L, 2L, 1L);
	}

	@Test
	void writesAtOnceWithoutALinger() {
		List<List<Long>> batches = new CopyOnWriteArrayList<>();
		CloseEventWriter writer = start(
				new HistoryProperties.Writer(100, 10, Duration.ofMillis(50), Duration.ofSeconds(2), Duration.ZERO),
				(batch) -> batches.add(batch.stream().map(CloseEvent::id).toList()));
		writer.enqueue(closeEvent(1).build());
		await().atMost(Duration.ofSeconds(5)).until(() -> writer.pending() == 0);
		writer.enqueue(closeEvent(2).build());

		await().atMost(Duration.ofSeconds(5)).until(() -> writer.pending() == 0);
		assertThat(batches).containsExactly(List.of(1L), List.of(2L));
	}

	@Test
	void countsABatchAsWrittenOnlyOnceTheListenerHasBeenTold() {
		List<List<Long>> batches = new CopyOnWriteArrayList<>();
		CloseEventWriter writer = start(
				new HistoryProperties.Writer(100, 10, Duration.ofMillis(50), Duration.ofSeconds(2), Duration.ZERO),
				(batch) -> {
					// a slow listener, as the recent tier on a busy machine
					LockSupport.parkNanos(Duration.ofMillis(300).toNanos());
					batches.add(batch.stream().map(CloseEvent::id).toList());
				});
		writer.enqueue(closeEvent(1).build());

		await().atMost(Duration.ofSeconds(5)).until(() -> writer.pending() == 0);
		assertThat(batches).containsExactly(List.of(1L));
	}

	@Test
	void writesWhatIsQueuedWhenStopped() {
		// a minute for 167 transactions of 3, however busy the machine
		CloseEventWriter writer = start(1000, Duration.ofMillis(50), Duration.ofSeconds(60));
		for (long id = 1; id <= 500; id++) {
			writer.enqueue(closeEvent(id).build());
		}

		writer.stop();

		assertThat(this.store.count()).isEqualTo(500);
		assertThat(writer.dropped()).isZero();
	}

	@Test
	void countsWhatItCouldNotWriteBeforeTheShutdownTimeout() {
		CloseEventWriter writer = start(100, Duration.ofMillis(50));
		this.down.set(true);
		for (long id = 1; id <= 10; id++) {
			writer.enqueue(closeEvent(id).build());
		}

		writer.stop();

		assertThat(writer.dropped()).isEqualTo(10);
	}

}
