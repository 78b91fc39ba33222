package dev.closewatch.history;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import org.sqlite.SQLiteDataSource;

/**
 * Creates the SQLite database file, when there is none yet, with the page size that suits
 * closewatch's writes. A commit of a few closes writes whole pages to the log (the last
 * page of the table and of each index, and one page at a random place of the upstream's
 * index per close), and the checkpoint writes them again: with 2 KiB pages a close costs
 * about a third fewer bytes on the disk than with SQLite's 4 KiB (docs/performance.md,
 * round 21), for scans of many events that read more pages.
 * <p>
 * The page size can only be chosen before the file has its first page, and SQLite in WAL
 * mode keeps whatever it has: sqlite-jdbc sets {@code journal_mode} from the URL before
 * any other pragma, so the file is made here, before the pool opens it. A file that
 * exists keeps its page size (docs/operations.md says how to change it offline).
 */
final class SqliteNewFile {

	static final int PAGE_SIZE = 2048;

	private SqliteNewFile() {
	}

	/**
	 * Create the database file if it does not exist or is empty (and has no log).
	 * @param file the database file, in a directory that exists
	 * @throws HistoryStoreException if it cannot be created, naming the setting
	 */
	static void createIfAbsent(Path file) {
		createIfAbsent(file, PAGE_SIZE);
	}

	/**
	 * Create the database file, with pages of the given size, if it does not exist or is
	 * empty (and has no log).
	 * @param file the database file, in a directory that exists
	 * @param pageSize a power of two from 512 to 65,536
	 * @throws HistoryStoreException if it cannot be created, naming the setting
	 */
	static void createIfAbsent(Path file, int pageSize) {
		try {
			// an empty file beside a log holds what the log holds: SQLite reads it
			Path log = file.resolveSibling(file.getFileName() + "-wal");
			if (holdsData(file) || holdsData(log)) {
				return;
			}
		}
		catch (IOException ex) {
			// SQLite will say what is wrong with it when the pool opens it
			return;
		}
		SQLiteDataSource dataSource = new SQLiteDataSource();
		dataSource.setUrl("jdbc:sqlite:" + file);
		try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
			statement.execute("PRAGMA page_size = " + pageSize);
			// writes the file's first page
			statement.execute("PRAGMA journal_mode = WAL");
		}
		catch (SQLException | RuntimeException | LinkageError ex) {
			throw new HistoryStoreException(HistoryStoreFailures.describe(ex, HistoryStore.SQLITE),
					HistoryStoreFailures.action(ex, HistoryStore.SQLITE), ex);
		}
	}

	private static boolean holdsData(Path file) throws IOException {
		return Files.exists(file) && Files.size(file) > 0;
	}

}
