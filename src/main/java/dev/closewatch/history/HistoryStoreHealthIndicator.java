package dev.closewatch.history;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.dao.DataAccessException;

/**
 * The history store's health: DOWN while writes fail (the events queue and are written
 * when it returns), with what failed and the setting to look at.
 */
class HistoryStoreHealthIndicator extends AbstractHealthIndicator {

	private final CloseEventWriter writer;

	private final JdbcCloseEventStore store;

	// SQLite's, read once
	private volatile @Nullable SqliteSettings sqlite;

	HistoryStoreHealthIndicator(CloseEventWriter writer, JdbcCloseEventStore store) {
		super("History store health check failed");
		this.writer = writer;
		this.store = store;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		StoreState state = this.writer.state();
		(state.up() ? builder.up() : builder.down()).withDetail("store", this.store.store().name().toLowerCase())
			.withDetail("since", state.since().toString())
			.withDetail("queued", this.writer.queued())
			.withDetail("written", this.writer.written())
			.withDetail("dropped", this.writer.dropped());
		if (this.store.store() == HistoryStore.POSTGRESQL) {
			// how durable what the list shows is
			builder.withDetail("synchronousCommit", this.store.synchronousCommit().setting());
		}
		else {
			SqliteSettings sqlite = sqliteSettings();
			if (sqlite != null) {
				builder.withDetail("synchronous", sqlite.synchronous()).withDetail("pageSize", sqlite.pageSize());
			}
		}
		if (state.error() != null) {
			builder.withDetail("error", state.error());
		}
	}

	// the same on every connection for the life of the process (only a VACUUM, which
	// closewatch never runs, changes the page size): read once, and left out while the
	// store cannot answer rather than failing the whole check
	private @Nullable SqliteSettings sqliteSettings() {
		if (this.sqlite == null) {
			try {
				this.sqlite = new SqliteSettings(this.store.sqliteSynchronous(), this.store.sqlitePageSize());
			}
			catch (DataAccessException ex) {
				return null;
			}
		}
		return this.sqlite;
	}

	private record SqliteSettings(String synchronous, int pageSize) {
	}

}
