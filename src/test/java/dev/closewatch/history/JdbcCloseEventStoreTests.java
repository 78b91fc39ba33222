package dev.closewatch.history;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import static dev.closewatch.history.TestCloseEvents.closeEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.mock;

/**
 * How {@link JdbcCloseEventStore} reports a failed write: with the failure the database
 * gave, not with what the broken connection says afterwards.
 */
class JdbcCloseEventStoreTests {

	@Test
	void insertWhenTheConnectionBreaksMidBatchThrowsTheDatabaseFailureRatherThanConnectionIsClosed()
			throws SQLException {
		Connection connection = mock();
		PreparedStatement statement = mock();
		DataSource dataSource = mock();
		given(dataSource.getConnection()).willReturn(connection);
		given(connection.prepareStatement(anyString())).willReturn(statement);
		SQLException failed = new SQLException("[SQLITE_IOERR_WRITE] disk I/O error", null, 778);
		given(statement.executeBatch()).willThrow(failed);
		// what HikariCP's proxy answers once the connection is gone
		willThrow(new SQLException("Connection is closed")).given(connection).rollback();
		willThrow(new SQLException("Connection is closed")).given(connection).setAutoCommit(true);
		JdbcCloseEventStore store = new JdbcCloseEventStore(dataSource, HistoryStore.SQLITE, SynchronousCommit.OFF);

		assertThatExceptionOfType(SQLException.class)
			.isThrownBy(() -> store.insert(List.of(closeEvent(1).build(), closeEvent(2).build())))
			.isSameAs(failed);
	}

	@Test
	void insertOfOneEventWhenPostgresqlTerminatesTheConnectionThrowsItsFailureRatherThanConnectionIsClosed()
			throws SQLException {
		Connection connection = mock();
		PreparedStatement statement = mock();
		DataSource dataSource = mock();
		given(dataSource.getConnection()).willReturn(connection);
		given(connection.getAutoCommit()).willReturn(true);
		given(connection.prepareStatement(anyString())).willReturn(statement);
		SQLException terminated = new SQLException("terminating connection due to administrator command", "57P01");
		given(statement.executeUpdate()).willThrow(terminated);
		// what HikariCP's proxy answers once the connection is gone
		willThrow(new SQLException("Connection is closed")).given(statement).close();
		willThrow(new SQLException("Connection is closed")).given(connection).close();
		JdbcCloseEventStore store = new JdbcCloseEventStore(dataSource, HistoryStore.POSTGRESQL, SynchronousCommit.OFF);

		assertThatExceptionOfType(SQLException.class).isThrownBy(() -> store.insert(List.of(closeEvent(1).build())))
			.isSameAs(terminated);
		assertThat(HistoryStoreFailures.describe(terminated, HistoryStore.POSTGRESQL))
			.contains("PostgreSQL is shutting down or starting up");
	}

}
