package dev.closewatch.history;

/**
 * Where close events are kept, chosen by {@code closewatch.history.store}.
 */
enum HistoryStore {

	/**
	 * A SQLite file: the default, nothing to run beside closewatch.
	 */
	SQLITE,

	/**
	 * PostgreSQL through {@code spring.datasource.*}: for production and for replicas
	 * sharing one history.
	 */
	POSTGRESQL,

	/**
	 * A bounded ring in memory: nothing on disk, lost on restart.
	 */
	MEMORY;

	boolean durable() {
		return this != MEMORY;
	}

}
