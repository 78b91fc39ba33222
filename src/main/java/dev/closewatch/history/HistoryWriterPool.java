package dev.closewatch.history;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.jdbc.DataSourceUnwrapper;

/**
 * The {@link CloseEventWriter}'s own connection to PostgreSQL: a pool of one, made as the
 * application's pool ({@code spring.datasource.*}, {@code spring.datasource.hikari.*})
 * is, whose session commits with
 * {@code closewatch.history.postgresql.synchronous-commit}.
 * <p>
 * So the setting is made once a connection, when it opens, rather than carried by every
 * INSERT (PostgreSQL spent a sixth of its time a close on that {@code set_config}); it
 * never reaches the shared pool's sessions, whose work (leases, API upstreams, retention)
 * commits with the server's own setting; and the writer never waits for a connection
 * behind the API's queries. The pool is closed with the store.
 */
final class HistoryWriterPool {

	private HistoryWriterPool() {
	}

	/**
	 * Make the writer's pool from the application's.
	 * @param shared the application's data source
	 * @param synchronousCommit the setting of the writer's sessions
	 * @return the pool, or {@code null} when the application's data source is not a
	 * Hikari pool whose settings can be copied (the writer then shares it)
	 */
	static @Nullable HikariDataSource create(DataSource shared, SynchronousCommit synchronousCommit) {
		HikariDataSource application = DataSourceUnwrapper.unwrap(shared, HikariDataSource.class);
		if (application == null) {
			return null;
		}
		HikariConfig config = new HikariConfig();
		application.copyStateTo(config);
		config.setPoolName(
				((application.getPoolName() != null) ? application.getPoolName() : "closewatch-history") + "-writer");
		config.setMaximumPoolSize(1);
		config.setMinimumIdle(1);
		// a database that is down now is the writer's to retry, not a failed startup
		config.setInitializationFailTimeout(-1);
		// the writer holds its connection for as long as a batch takes, never leaks it
		config.setLeakDetectionThreshold(0);
		config.setRegisterMbeans(false);
		config.setConnectionInitSql(initSql(application.getConnectionInitSql(), synchronousCommit));
		return new HikariDataSource(config);
	}

	// the application's own statement first (it may set synchronous_commit too)
	static String initSql(@Nullable String application, SynchronousCommit synchronousCommit) {
		String set = "SET synchronous_commit TO '" + synchronousCommit.setting() + "'";
		return (application == null || application.isBlank()) ? set : application + ";\n" + set;
	}

}
