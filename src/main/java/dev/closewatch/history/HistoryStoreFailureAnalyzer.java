package dev.closewatch.history;

import java.sql.SQLException;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.env.Environment;
import org.springframework.dao.DataAccessException;

/**
 * Explains a startup that failed on the history store (a path that cannot be written, a
 * full disk, PostgreSQL not there or refusing the password, a bad
 * {@code closewatch.history.store}) with the setting to change, instead of leaving a
 * stack trace as the only clue.
 */
class HistoryStoreFailureAnalyzer implements FailureAnalyzer {

	private final @Nullable Environment environment;

	HistoryStoreFailureAnalyzer(@Nullable Environment environment) {
		this.environment = environment;
	}

	@Override
	public @Nullable FailureAnalysis analyze(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof HistoryStoreException store) {
				return new FailureAnalysis("Cannot use the close event history store: " + store.getMessage(),
						store.action(), store);
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		if (!isDatabaseFailure(failure)) {
			return null;
		}
		HistoryStore store = store();
		if (!store.durable()) {
			return null;
		}
		return new FailureAnalysis(
				"Cannot use the close event history store: " + HistoryStoreFailures.describe(failure, store),
				HistoryStoreFailures.action(failure, store), failure);
	}

	private HistoryStore store() {
		if (this.environment == null) {
			return HistoryStore.SQLITE;
		}
		try {
			return HistoryStoreEnvironment.store(this.environment);
		}
		catch (HistoryStoreException ex) {
			// a bad value is reported by the environment post-processor itself
			return HistoryStore.SQLITE;
		}
	}

	private static boolean isDatabaseFailure(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof SQLException || cause instanceof DataAccessException
					|| cause.getClass().getName().startsWith("org.flywaydb.")) {
				return true;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return false;
	}

}
