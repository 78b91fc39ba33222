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
	private volatile @Nullable String synchronous;

	private volatile @Nullable Integer pageSize;

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
		else if (sqliteSettings()) {
			builder.withDetail("synchronous", this.synchronous).withDetail("pageSize", this.pageSize);
		}
		if (state.error() != null) {
			builder.withDetail("error", state.error());
		}
	}

	// every connection of the pool has the same for the life of the process (the page
	// size changes only by a VACUUM, which closewatch never runs): read once, and left
	// out
	// while the store cannot answer rather than failing the whole check
	private boolean sqliteSettings() {
		if (this.pageSize == null) {
			try {
				this.synchronous = this.store.sqliteSynchronous();
				this.pageSize = this.store.sqlitePageSize();
			}
			catch (DataAccessException ex) {
				return false;
			}
		}
		return true;
	}

}
