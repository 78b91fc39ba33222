package dev.closewatch.history;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;

import dev.closewatch.closeevent.CloseEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Opens the {@link QueueFile} at startup and writes to the store what the last run left
 * in it: the events it had recorded but not committed when it stopped (after a crash; a
 * clean stop leaves nothing). An event already stored is left as it is, so a crash
 * between a commit and the freeing of its slot duplicates nothing.
 */
final class QueueFileRecovery {

	private static final Log logger = LogFactory.getLog(QueueFileRecovery.class);

	private QueueFileRecovery() {
	}

	/**
	 * Open the file, store what it holds, and empty it.
	 * @param path the file
	 * @param setting the setting that turns it off
	 * @param store the store
	 * @return the file, empty
	 * @throws HistoryStoreException if the file cannot be used or its events not stored
	 */
	static QueueFile open(Path path, String setting, JdbcCloseEventStore store) {
		String action = "Make " + path.getParent() + " writable and give each closewatch process a database of its "
				+ "own (replicas sharing one: closewatch.cluster.enabled=true), or set " + setting
				+ "=false to show each close only once committed";
		QueueFile file;
		try {
			file = QueueFile.open(path);
		}
		catch (IOException | RuntimeException ex) {
			throw new HistoryStoreException("The history's queue file " + path + " cannot be opened: " + ex, action,
					ex);
		}
		List<CloseEvent> left = file.events();
		if (!left.isEmpty()) {
			try {
				store.insert(left);
			}
			catch (SQLException | RuntimeException ex) {
				throw new HistoryStoreException("The " + left.size() + " close events that the last run left in " + path
						+ " cannot be written to the history store (they stay in the file): "
						+ HistoryStoreFailures.describe(ex, store.store()), action, ex);
			}
			logger.info("Wrote " + left.size() + " close events (ids " + left.get(0).id() + " to "
					+ left.get(left.size() - 1).id() + ") that the last run had recorded but not committed, from "
					+ path);
		}
		file.clear();
		return file;
	}

}
