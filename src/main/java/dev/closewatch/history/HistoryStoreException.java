package dev.closewatch.history;

/**
 * The history store cannot be used as configured. Its message names the setting, and
 * {@link #action()} says what to change; {@link HistoryStoreFailureAnalyzer} shows both
 * when startup fails.
 */
class HistoryStoreException extends RuntimeException {

	private final String action;

	HistoryStoreException(String message, String action) {
		super(message);
		this.action = action;
	}

	HistoryStoreException(String message, String action, Throwable cause) {
		super(message, cause);
		this.action = action;
	}

	String action() {
		return this.action;
	}

}
