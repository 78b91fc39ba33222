package dev.closewatch.history;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;

import static dev.closewatch.history.TestCloseEvents.closeEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The history writer keeps one connection of its own pool for its batches and its
 * heartbeat, gives up one the server closed, and hands it back once held for the pool's
 * {@code maxLifetime} (embedded PostgreSQL behind real Hikari pools; a trigger records
 * the server process each row went in on).
 */
class HeldConnectionTests {

	private HikariDataSource application;

	private JdbcTemplate jdbc;

	@BeforeEach
	void applicationPool() {
		this.application = StoreFixtures.postgresqlPool("held_connection", "application", 2, null);
		this.jdbc = new JdbcTemplate(this.application);
		this.jdbc.execute("CREATE TABLE written_on (id BIGINT, backend INT)");
		this.jdbc.execute("CREATE FUNCTION note_backend() RETURNS trigger LANGUAGE plpgsql AS "
				+ "$$ BEGIN INSERT INTO written_on VALUES (NEW.id, pg_backend_pid()); RETURN NEW; END $$");
		this.jdbc.execute("CREATE TRIGGER note_backend AFTER INSERT ON close_event "
				+ "FOR EACH ROW EXECUTE FUNCTION note_backend()");
		this.jdbc.execute("CREATE TABLE seen_on (backend INT)");
		this.jdbc.execute("CREATE FUNCTION note_heartbeat() RETURNS trigger LANGUAGE plpgsql AS "
				+ "$$ BEGIN INSERT INTO seen_on VALUES (pg_backend_pid()); RETURN NEW; END $$");
		this.jdbc.execute("CREATE TRIGGER note_heartbeat AFTER UPDATE ON monitor_run "
				+ "FOR EACH ROW EXECUTE FUNCTION note_heartbeat()");
	}

	@AfterEach
	void close() {
		this.application.close();
	}

	@Test
	void writesEveryBatchAndHeartbeatOnOneConnection() throws Exception {
		try (JdbcCloseEventStore store = JdbcCloseEventStore.create(this.application, HistoryStore.POSTGRESQL,
				SynchronousCommit.OFF)) {
			MonitorRun run = new MonitorRun("run-1", "member", Instant.parse("2026-12-04T10:00:00Z"));
			store.startRun(run);

			store.insert(List.of(closeEvent(1).build()));
			store.runSeen(run.id(), run.startedAt().plusSeconds(15));
			store.insert(List.of(closeEvent(2).build(), closeEvent(3).build()));
			// the pool would test a connection idle this long before lending it again
			Thread.sleep(600);
			store.insert(List.of(closeEvent(4).build()));
			store.stopRun(run.id(), run.startedAt().plusSeconds(20));

			assertThat(store.holdsWriterConnection()).isTrue();
			assertThat(this.jdbc.queryForList("SELECT backend FROM written_on UNION SELECT backend FROM seen_on",
					Integer.class))
				.singleElement()
				.isNotEqualTo(this.jdbc.queryForObject("SELECT pg_backend_pid()", Integer.class));
			assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM seen_on", Integer.class)).isEqualTo(2);
		}
	}

	@Test
	void givesUpAConnectionThatFailsWhileBusyAndTheNextRunTakesANewOne() throws SQLException {
		AtomicLong nanoTime = new AtomicLong();
		try (HikariDataSource pool = pool(); HeldConnection held = new HeldConnection(pool, nanoTime::get)) {
			int first = held.run(HeldConnectionTests::backend);
			terminate(first);
			nanoTime.addAndGet(HeldConnection.UNTESTED_IDLE.toNanos());

			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> held.run(HeldConnectionTests::backend));
			assertThat(held.holds()).isFalse();

			assertThat(held.run(HeldConnectionTests::backend)).isNotEqualTo(first);
			assertThat(held.holds()).isTrue();
		}
	}

	@Test
	void runsTheWorkAgainOnANewConnectionWhenTheOneIdleLongerThanThePoolTrustsHasDied() throws SQLException {
		AtomicLong nanoTime = new AtomicLong();
		try (HikariDataSource pool = pool(); HeldConnection held = new HeldConnection(pool, nanoTime::get)) {
			int first = held.run(HeldConnectionTests::backend);
			terminate(first);
			nanoTime.addAndGet(HeldConnection.UNTESTED_IDLE.toNanos() + 1);

			assertThat(held.run(HeldConnectionTests::backend)).isNotEqualTo(first);
			assertThat(held.holds()).isTrue();
		}
	}

	@Test
	void throwsTheSecondFailureWithTheFirstSuppressed() throws SQLException {
		AtomicLong nanoTime = new AtomicLong();
		try (HikariDataSource pool = pool(); HeldConnection held = new HeldConnection(pool, nanoTime::get)) {
			held.run(HeldConnectionTests::backend);
			nanoTime.addAndGet(Duration.ofSeconds(1).toNanos());

			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> held.run((connection) -> {
				throw new SQLException("refused on " + backend(connection));
			})).satisfies((ex) -> assertThat(ex.getSuppressed()).singleElement().isInstanceOf(SQLException.class));
			assertThat(held.holds()).isFalse();
		}
	}

	@Test
	void handsTheConnectionBackOnceHeldForThePoolsMaxLifetime() throws SQLException {
		HikariDataSource pool = pool();
		pool.setMaxLifetime(Duration.ofMinutes(1).toMillis());
		AtomicLong nanoTime = new AtomicLong();
		try (pool; HeldConnection held = new HeldConnection(pool, nanoTime::get)) {
			Connection first = held.run((connection) -> connection);
			nanoTime.addAndGet(Duration.ofSeconds(59).toNanos());
			Connection stillHeld = held.run((connection) -> connection);
			assertThat(stillHeld).isSameAs(first);

			nanoTime.addAndGet(Duration.ofSeconds(1).toNanos());
			Connection second = held.run((connection) -> connection);

			assertThat(second).isNotSameAs(first);
			assertThat(first.isClosed()).as("the first handed back to the pool").isTrue();
			assertThat(second.isClosed()).isFalse();
		}
	}

	@Test
	void handsTheConnectionBackWhenClosed() throws SQLException {
		JdbcCloseEventStore store = JdbcCloseEventStore.create(this.application, HistoryStore.POSTGRESQL,
				SynchronousCommit.OFF);
		store.insert(List.of(closeEvent(1).build()));
		assertThat(store.holdsWriterConnection()).isTrue();

		store.close();

		assertThat(store.holdsWriterConnection()).isFalse();
		assertThatExceptionOfType(SQLException.class).isThrownBy(() -> store.insert(List.of(closeEvent(2).build())));
		assertThat(store.count()).isOne();
	}

	// a pool of one, as the writer's
	private HikariDataSource pool() {
		HikariDataSource pool = new HikariDataSource();
		pool.setJdbcUrl(this.application.getJdbcUrl());
		pool.setUsername("postgres");
		pool.setPassword("postgres");
		pool.setMaximumPoolSize(1);
		return pool;
	}

	private void terminate(int backend) {
		assertThat(this.jdbc.queryForObject("SELECT pg_terminate_backend(?)", Boolean.class, backend)).isTrue();
	}

	private static int backend(Connection connection) throws SQLException {
		try (var statement = connection.prepareStatement("SELECT pg_backend_pid()");
				var row = statement.executeQuery()) {
			row.next();
			return row.getInt(1);
		}
	}

	private int backendOf(long id) {
		return this.jdbc.queryForObject("SELECT backend FROM written_on WHERE id = ?", Integer.class, id);
	}

}
