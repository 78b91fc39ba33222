package dev.closewatch.history;

import java.nio.file.Path;
import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the close event history.
 *
 * @param store where close events are kept
 * @param capacity how many close events the {@code memory} store keeps (the oldest is
 * evicted first), and how many recent ones the durable stores keep in memory for the live
 * stream
 * @param sqlite settings of the {@code sqlite} store
 * @param postgresql settings of the {@code postgresql} store
 * @param writer settings of the writer that persists events in batches
 * @param retention how long the durable stores keep events
 */
@ConfigurationProperties("closewatch.history")
@Validated
record HistoryProperties(@DefaultValue("sqlite") @NotNull HistoryStore store,
		@DefaultValue("10000") @Positive int capacity, @DefaultValue @Valid Sqlite sqlite,
		@DefaultValue @Valid Postgresql postgresql, @DefaultValue @Valid Writer writer,
		@DefaultValue @Valid Retention retention) {

	/**
	 * Settings of the {@code sqlite} store.
	 *
	 * @param path the database file; its directory is created when missing
	 * @param synchronous SQLite's {@code synchronous} for every connection:
	 * {@code normal} (the default) waits for the disk at each checkpoint, so a power loss
	 * may take back the last commits but never corrupts the file; {@code full} waits at
	 * each commit as well; {@code off} never waits, so nothing is written twice (at 1,000
	 * closes/s {@code normal} writes about 28 MB/s to the disk, {@code off} next to
	 * nothing, docs/performance.md round 17), and a power loss may corrupt the file: for
	 * storage that does not outlive the machine. A crash of closewatch alone loses no
	 * committed event with any of them. Not applied to a {@code spring.datasource.url} of
	 * the user's own
	 * @param queueFile whether the events recorded and not yet committed are kept in a
	 * file beside the database ({@code closewatch.db-queue}, 8 MiB, mapped into memory):
	 * then the list shows a close as soon as it is recorded, not after the writer's
	 * commit, and a crash of closewatch loses none of them (the next start writes them);
	 * with {@code false} the list shows a close once committed ({@link QueueFile})
	 */
	record Sqlite(@DefaultValue(HistoryStoreEnvironment.DEFAULT_SQLITE_PATH) @NotNull Path path,
			@DefaultValue("normal") @NotNull SqliteSynchronous synchronous,
			@DefaultValue(HistoryStoreEnvironment.DEFAULT_QUEUE_FILE) boolean queueFile) {

	}

	/**
	 * Settings of the {@code postgresql} store (the connection is Spring Boot's
	 * {@code spring.datasource.*}).
	 *
	 * @param synchronousCommit PostgreSQL's {@code synchronous_commit} for the writer's
	 * transactions only: {@code off} (the default) gives the durability of the
	 * {@code sqlite} store's {@code synchronous=NORMAL}, nothing shown lost when
	 * closewatch crashes and the last commits (at most 3 × {@code wal_writer_delay}) when
	 * the database server crashes; {@code on} waits for the WAL flush, about 0.6 ms more
	 * per close at the median (docs/performance.md)
	 * @param queueFile whether the events recorded and not yet committed are kept in a
	 * file in {@code java.io.tmpdir} named after the database's URL, as the
	 * {@code sqlite} store's {@code queue-file}: the list shows a close once recorded,
	 * and the next start of closewatch on the same machine (in Kubernetes: of the
	 * container in the same pod) stores what a crash left in it. Not used when
	 * {@code closewatch.cluster.enabled} is set: the list then reads the database the
	 * replicas share
	 */
	record Postgresql(@DefaultValue("off") @NotNull SynchronousCommit synchronousCommit,
			@DefaultValue(HistoryStoreEnvironment.DEFAULT_QUEUE_FILE) boolean queueFile) {

	}

	/**
	 * Settings of the writer thread.
	 *
	 * @param queueCapacity how many events may wait to be written, for instance while the
	 * database is down: at 1,000 closes/s the default absorbs 100 s
	 * @param batchSize the most events written in one transaction
	 * @param backPressure how long recording waits for room when the queue is full before
	 * the event is dropped (and counted in {@code closewatch.history.dropped})
	 * @param shutdownTimeout how long stopping waits for the queued events to be written
	 * @param linger how long the writer waits, once an event is queued, for more to join
	 * its batch: fewer commits (and, with PostgreSQL, round trips); 0 writes at once.
	 * With a queue file the list does not wait for the commit, and the default is 100 ms
	 * (at 1,000 closes/s SQLite's writer then takes half the CPU and writes 30 % less,
	 * docs/performance.md, round 28). Without one (replicas, {@code queue-file: false})
	 * each event is listed once committed, and the default is 2 ms: it gathers two or
	 * three events at 1,000 closes/s and took the slowest closes' time to the list down
	 * 5-13 % on a busy 2-core machine (round 16)
	 */
	record Writer(@DefaultValue("100000") @Positive int queueCapacity,
			@DefaultValue("500") @Positive @Max(10_000) int batchSize,
			@DefaultValue("100ms") @NotNull @DurationMin(nanos = 0) Duration backPressure,
			@DefaultValue("10s") @NotNull @DurationMin(nanos = 0) Duration shutdownTimeout,
			@DefaultValue("2ms") @NotNull @DurationMin(nanos = 0) @DurationMax(seconds = 1) Duration linger) {

	}

	/**
	 * Retention of the durable stores: an event goes when it is older than {@code maxAge}
	 * or beyond the newest {@code maxEvents}, whichever comes first. An upstream's events
	 * are never removed for any other reason, in particular not because the upstream is
	 * no longer configured.
	 *
	 * @param maxAge the age after which an event is removed
	 * @param maxEvents the most events kept
	 * @param interval how often retention runs
	 * @param batchSize the most events removed in one transaction; retention deletes
	 * fewer where that many would hold SQLite's write lock, which the writer waits for,
	 * longer than about 3 ms ({@link RetentionPace}; docs/performance.md)
	 */
	record Retention(
			@DefaultValue("30d") @DurationUnit(java.time.temporal.ChronoUnit.DAYS) @NotNull @DurationMin(
					seconds = 1) Duration maxAge,
			@DefaultValue("5000000") @Positive long maxEvents,
			@DefaultValue("1m") @NotNull @DurationMin(seconds = 1) Duration interval,
			@DefaultValue("200") @Positive int batchSize) {

	}

}
