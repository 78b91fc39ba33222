package dev.closewatch.history;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import static dev.closewatch.history.TestCloseEvents.closeEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * On a data source that is not a Hikari pool, the writer's events are committed with
 * {@code closewatch.history.postgresql.synchronous-commit}, on the embedded PostgreSQL
 * server, in the one statement that carries each row: a trigger records the setting in
 * force as each row goes in (the transaction's, which its commit reads), and the
 * connection's session keeps the server's own setting afterwards.
 */
class PostgresqlSynchronousCommitTests {

	@ParameterizedTest
	@EnumSource(names = { "OFF", "REMOTE_WRITE" })
	void commitsEveryBatchWithTheSettingAndLeavesTheSessionAsItWas(SynchronousCommit synchronousCommit)
			throws SQLException {
		DataSource database = StoreFixtures.postgresqlDataSource("synchronous_commit");
		StoreFixtures.migrated(database, HistoryStore.POSTGRESQL);
		try (Connection connection = database.getConnection()) {
			// one session for everything below, as a pooled connection is reused
			SingleConnectionDataSource session = new SingleConnectionDataSource(connection, true);
			JdbcTemplate jdbc = new JdbcTemplate(session);
			jdbc.execute("CREATE TABLE committed_with (id BIGINT, synchronous_commit TEXT)");
			jdbc.execute("CREATE FUNCTION note_synchronous_commit() RETURNS trigger LANGUAGE plpgsql AS "
					+ "$$ BEGIN INSERT INTO committed_with VALUES (NEW.id, current_setting('synchronous_commit')); "
					+ "RETURN NEW; END $$");
			jdbc.execute("CREATE TRIGGER note_synchronous_commit AFTER INSERT ON close_event "
					+ "FOR EACH ROW EXECUTE FUNCTION note_synchronous_commit()");
			// the embedded server's own default is off: the session waits for the flush
			jdbc.execute("SET synchronous_commit TO on");
			// not a pool whose settings can be copied: the writer shares it
			JdbcCloseEventStore store = JdbcCloseEventStore.create(session, HistoryStore.POSTGRESQL, synchronousCommit);
			assertThat(store.writesOnOwnConnection()).isFalse();

			// a batch of one commits by itself; larger ones in a transaction
			store.insert(List.of(closeEvent(1).build()));
			store.insert(List.of(closeEvent(2).build(), closeEvent(3).build()));

			Map<Long, String> committedWith = new HashMap<>();
			jdbc.query("SELECT id, synchronous_commit FROM committed_with",
					(RowCallbackHandler) (row) -> committedWith.put(row.getLong(1), row.getString(2)));
			assertThat(committedWith).containsOnly(entry(1L, synchronousCommit.setting()),
					entry(2L, synchronousCommit.setting()), entry(3L, synchronousCommit.setting()));
			assertThat(jdbc.queryForObject("SHOW synchronous_commit", String.class)).isEqualTo("on");
			assertThat(store.find(new CloseEventQuery(null, null, null, null, null, null, 10))).extracting("id")
				.containsExactly(3L, 2L, 1L);
		}
	}

}
