package dev.closewatch.history;

import java.sql.SQLException;

import org.jspecify.annotations.Nullable;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import org.springframework.core.NestedExceptionUtils;

/**
 * Explains a database failure in terms of the setting to look at: the SQLite file of
 * {@code closewatch.history.sqlite.path}, or PostgreSQL's {@code spring.datasource.*}.
 */
final class HistoryStoreFailures {

	// what sqlite-jdbc says, whatever kept it from unpacking or loading its native
	// library
	private static final String NO_NATIVE_LIBRARY = "No native library found";

	private HistoryStoreFailures() {
	}

	/**
	 * Describe the failure in one line that names the setting.
	 * @param failure the failure, with its causes
	 * @param store the store in use
	 * @return the description
	 */
	static String describe(Throwable failure, HistoryStore store) {
		SQLiteException sqlite = find(failure, SQLiteException.class);
		if (sqlite != null) {
			return sqlite(sqlite);
		}
		SQLException sql = deepest(failure);
		if (sql != null && store == HistoryStore.POSTGRESQL) {
			return postgresql(sql);
		}
		Throwable root = NestedExceptionUtils.getMostSpecificCause(failure);
		if (store == HistoryStore.SQLITE && String.valueOf(root.getMessage()).startsWith(NO_NATIVE_LIBRARY)) {
			return nativeLibrary(root);
		}
		String setting = (store == HistoryStore.SQLITE) ? HistoryStoreEnvironment.SQLITE_PATH : "spring.datasource.url";
		return "the " + store.name().toLowerCase(java.util.Locale.ROOT) + " history store (" + setting + ") failed: "
				+ root.getMessage();
	}

	/**
	 * Return the action that fixes what {@link #describe} described.
	 */
	static String action(Throwable failure, HistoryStore store) {
		if (store == HistoryStore.POSTGRESQL) {
			return "Check spring.datasource.url, spring.datasource.username and spring.datasource.password, and that "
					+ "PostgreSQL (14 or later) answers there; or set closewatch.history.store=sqlite";
		}
		return "Check " + HistoryStoreEnvironment.SQLITE_PATH + ": its directory must be writable, on a filesystem "
				+ "with free space, and the file a SQLite database of closewatch's; or set "
				+ "closewatch.history.store=memory to keep nothing on disk";
	}

	private static String sqlite(SQLiteException ex) {
		SQLiteErrorCode code = ex.getResultCode();
		String what = switch (code) {
			case SQLITE_FULL -> "the disk holding the database is full";
			case SQLITE_CANTOPEN -> "the database file cannot be opened";
			case SQLITE_READONLY, SQLITE_READONLY_DIRECTORY, SQLITE_READONLY_RECOVERY, SQLITE_READONLY_CANTLOCK,
					SQLITE_READONLY_ROLLBACK, SQLITE_READONLY_DBMOVED ->
				"the database file is read-only";
			case SQLITE_NOTADB -> "the file is not a SQLite database";
			case SQLITE_CORRUPT -> "the database file is corrupt";
			case SQLITE_IOERR, SQLITE_IOERR_WRITE, SQLITE_IOERR_FSYNC, SQLITE_IOERR_SHORT_READ -> "a disk I/O error";
			case SQLITE_BUSY -> "the database is locked by another writer for longer than 5 s";
			default -> code.name();
		};
		return "the SQLite history store (" + HistoryStoreEnvironment.SQLITE_PATH + "): " + what + " ("
				+ ex.getMessage() + ")";
	}

	// sqlite-jdbc unpacks its native library into org.sqlite.tmpdir, which
	// HistoryStoreEnvironment puts beside the database: a full disk fails there first
	private static String nativeLibrary(Throwable root) {
		String directory = System.getProperty("org.sqlite.tmpdir", System.getProperty("java.io.tmpdir"));
		return "the SQLite history store (" + HistoryStoreEnvironment.SQLITE_PATH
				+ "): sqlite-jdbc cannot unpack or load its native library in " + directory
				+ ", which needs a few MB of free space and a filesystem not mounted noexec (" + root.getMessage()
				+ ")";
	}

	private static String postgresql(SQLException ex) {
		String state = (ex.getSQLState() != null) ? ex.getSQLState() : "";
		String what;
		if (state.startsWith("28")) {
			what = "PostgreSQL rejected the credentials (spring.datasource.username / spring.datasource.password)";
		}
		else if (state.equals("3D000")) {
			what = "the database named in spring.datasource.url does not exist";
		}
		else if (state.startsWith("08")) {
			what = "cannot connect to PostgreSQL at spring.datasource.url";
		}
		else if (state.equals("57P01") || state.equals("57P03")) {
			what = "PostgreSQL is shutting down or starting up";
		}
		else if (state.equals("53300")) {
			what = "PostgreSQL has no connection slots left";
		}
		else if (state.equals("42501")) {
			what = "spring.datasource.username lacks a privilege on closewatch's tables";
		}
		else {
			what = "PostgreSQL (spring.datasource.url) failed";
		}
		return "the PostgreSQL history store: " + what + " (" + ex.getMessage() + ")";
	}

	private static <T extends Throwable> @Nullable T find(Throwable failure, Class<T> type) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (type.isInstance(cause)) {
				return type.cast(cause);
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return null;
	}

	// the innermost SQLException, which the pool and Spring wrap
	private static @Nullable SQLException deepest(Throwable failure) {
		SQLException deepest = null;
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof SQLException sql && sql.getSQLState() != null) {
				deepest = sql;
			}
			else if (cause instanceof SQLException sql && deepest == null) {
				deepest = sql;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return deepest;
	}

}
