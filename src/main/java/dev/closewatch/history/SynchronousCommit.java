package dev.closewatch.history;

import java.util.Locale;

/**
 * PostgreSQL's {@code synchronous_commit} for the transactions of the history writer:
 * whether a commit waits for its WAL to reach the disk (and, with a synchronous standby,
 * the standby) before closewatch shows the events it wrote.
 *
 * @see <a href=
 * "https://www.postgresql.org/docs/current/runtime-config-wal.html#GUC-SYNCHRONOUS-COMMIT">synchronous_commit</a>
 * @see <a href=
 * "https://www.postgresql.org/docs/current/wal-async-commit.html">Asynchronous Commit</a>
 */
enum SynchronousCommit {

	/**
	 * The commit returns once its WAL is in the server's buffers; the WAL writer flushes
	 * it within three times {@code wal_writer_delay} (600 ms by default). closewatch's
	 * own crash loses nothing committed; a crash of the database server may take back its
	 * last commits, as a power loss may with SQLite's {@code synchronous=NORMAL}.
	 */
	OFF,

	/**
	 * The commit waits for the WAL flush on the server, not for a standby.
	 */
	LOCAL,

	/**
	 * As {@link #ON}, but a synchronous standby need only have written the WAL.
	 */
	REMOTE_WRITE,

	/**
	 * The commit waits for the WAL flush on the server and on a synchronous standby.
	 */
	ON,

	/**
	 * As {@link #ON}, and a synchronous standby has applied the commit.
	 */
	REMOTE_APPLY;

	/**
	 * Return the value as PostgreSQL spells it.
	 */
	String setting() {
		return name().toLowerCase(Locale.ROOT);
	}

}
