package dev.closewatch.history;

import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

import static dev.closewatch.history.TestCloseEvents.closeEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.entry;

/**
 * On PostgreSQL behind the application's Hikari pool, the writer writes on a pool of its
 * own whose sessions commit with {@code closewatch.history.postgresql.synchronous-commit}
 * (embedded PostgreSQL; a trigger records the setting in force as each row goes in),
 * while the application's pool keeps its sessions as they were.
 */
class HistoryWriterPoolTests {

	private HikariDataSource application;

	private JdbcTemplate jdbc;

	@BeforeEach
	void applicationPool() {
		// the embedded server's own default is off: the application's sessions wait for
		// the flush, and the writer's own statement must come after this one to hold
		this.application = StoreFixtures.postgresqlPool("writer_pool", "application", 2,
				"SET synchronous_commit TO on");
		this.jdbc = new JdbcTemplate(this.application);
		this.jdbc.execute("CREATE TABLE committed_with (id BIGINT, synchronous_commit TEXT, transaction BIGINT)");
		this.jdbc.execute("CREATE FUNCTION note_synchronous_commit() RETURNS trigger LANGUAGE plpgsql AS "
				+ "$$ BEGIN INSERT INTO committed_with VALUES (NEW.id, current_setting('synchronous_commit'), "
				+ "txid_current()); RETURN NEW; END $$");
		this.jdbc.execute("CREATE TRIGGER note_synchronous_commit AFTER INSERT ON close_event "
				+ "FOR EACH ROW EXECUTE FUNCTION note_synchronous_commit()");
	}

	@AfterEach
	void close() {
		this.application.close();
	}

	@ParameterizedTest
	@EnumSource(names = { "OFF", "REMOTE_WRITE" })
	void writesEveryBatchOnItsOwnSessionsWithTheSetting(SynchronousCommit synchronousCommit) throws Exception {
		try (JdbcCloseEventStore store = JdbcCloseEventStore.create(this.application, HistoryStore.POSTGRESQL,
				synchronousCommit)) {
			assertThat(store.writesOnOwnConnection()).isTrue();

			store.insert(List.of(closeEvent(1).build()));
			store.insert(List.of(closeEvent(2).build(), closeEvent(3).build()));

			assertThat(committedWith()).containsOnly(entry(1L, synchronousCommit.setting()),
					entry(2L, synchronousCommit.setting()), entry(3L, synchronousCommit.setting()));
			assertThat(store.find(new CloseEventQuery(null, null, null, null, null, null, 10))).extracting("id")
				.containsExactly(3L, 2L, 1L);
		}
		// every one of the application's sessions still commits as it was made to
		for (int i = 0; i < 2; i++) {
			assertThat(this.jdbc.queryForObject("SHOW synchronous_commit", String.class)).isEqualTo("on");
		}
	}

	@Test
	void writesABatchAsOneTransactionOfItsOwn() throws Exception {
		try (JdbcCloseEventStore store = JdbcCloseEventStore.create(this.application, HistoryStore.POSTGRESQL,
				SynchronousCommit.OFF)) {
			store.insert(List.of(closeEvent(1).build()));
			store.insert(List.of(closeEvent(2).build(), closeEvent(3).build(), closeEvent(4).build()));
			store.insert(List.of(closeEvent(5).build(), closeEvent(6).build()));
		}

		List<Long> transactions = this.jdbc.queryForList("SELECT transaction FROM committed_with ORDER BY id",
				Long.class);
		assertThat(transactions).hasSize(6);
		assertThat(transactions.subList(1, 4)).containsOnly(transactions.get(1));
		assertThat(transactions.subList(4, 6)).containsOnly(transactions.get(4));
		assertThat(Set.of(transactions.get(0), transactions.get(1), transactions.get(4))).hasSize(3);
	}

	@Test
	void writesNothingOfABatchOneRowOfWhichFailsAndWritesTheNextBatch() throws Exception {
		this.jdbc.execute("CREATE FUNCTION refuse_six() RETURNS trigger LANGUAGE plpgsql AS "
				+ "$$ BEGIN IF NEW.id = 6 THEN RAISE EXCEPTION 'no six'; END IF; RETURN NEW; END $$");
		this.jdbc.execute("CREATE TRIGGER refuse_six BEFORE INSERT ON close_event "
				+ "FOR EACH ROW EXECUTE FUNCTION refuse_six()");
		try (JdbcCloseEventStore store = JdbcCloseEventStore.create(this.application, HistoryStore.POSTGRESQL,
				SynchronousCommit.OFF)) {
			assertThatExceptionOfType(SQLException.class).isThrownBy(
					() -> store.insert(List.of(closeEvent(5).build(), closeEvent(6).build(), closeEvent(7).build())))
				.withStackTraceContaining("no six");
			assertThat(store.count()).isZero();

			store.insert(List.of(closeEvent(7).build(), closeEvent(8).build()));
			store.insert(List.of(closeEvent(5).build(), closeEvent(7).build()));

			assertThat(store.find(new CloseEventQuery(null, null, null, null, null, null, 10))).extracting("id")
				.containsExactly(8L, 7L, 5L);
		}
	}

	@ParameterizedTest
	@EnumSource(names = { "OFF", "ON" })
	void isClosedWithTheStoreAndLeavesTheApplicationsPoolOpen(SynchronousCommit synchronousCommit) {
		JdbcCloseEventStore store = JdbcCloseEventStore.create(this.application, HistoryStore.POSTGRESQL,
				synchronousCommit);
		store.close();

		assertThatExceptionOfType(SQLException.class).isThrownBy(() -> store.insert(List.of(closeEvent(1).build())))
			.withMessageContaining("application-writer");
		assertThat(this.application.isClosed()).isFalse();
		assertThat(store.count()).isZero();
	}

	@Test
	void keepsTheApplicationsInitStatementFirst() {
		assertThat(HistoryWriterPool.initSql(null, SynchronousCommit.OFF)).isEqualTo("SET synchronous_commit TO 'off'");
		assertThat(HistoryWriterPool.initSql("SET search_path TO closewatch", SynchronousCommit.REMOTE_APPLY))
			.isEqualTo("SET search_path TO closewatch;\nSET synchronous_commit TO 'remote_apply'");
	}

	private Map<Long, String> committedWith() {
		Map<Long, String> committedWith = new HashMap<>();
		this.jdbc.query("SELECT id, synchronous_commit FROM committed_with",
				(RowCallbackHandler) (row) -> committedWith.put(row.getLong(1), row.getString(2)));
		return committedWith;
	}

}
