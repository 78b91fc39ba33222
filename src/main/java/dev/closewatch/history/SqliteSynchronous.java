package dev.closewatch.history;

import java.util.Locale;

/**
 * SQLite's {@code synchronous} for every connection of the {@code sqlite} store (in WAL
 * mode): when SQLite waits for the disk, which decides what a crash of the machine, not
 * of closewatch, can take back. A crash of closewatch alone (kill -9, OOM kill) loses no
 * committed event with any of them: what is committed is in the operating system's hands.
 *
 * @see <a href="https://www.sqlite.org/pragma.html#pragma_synchronous">PRAGMA
 * synchronous</a>
 * @see <a href="https://www.sqlite.org/wal.html#performance_considerations">WAL:
 * performance considerations</a>
 */
enum SqliteSynchronous {

	/**
	 * Never waits for the disk: the operating system writes the file when it likes, so
	 * nothing is written twice. A power loss or a kernel crash can take back the last
	 * seconds and may corrupt the file; for a database on storage that dies with the
	 * machine anyway (a Kubernetes {@code emptyDir}, a node's local disk).
	 */
	OFF(0),

	/**
	 * Waits for the disk at each checkpoint, not at each commit (the default): a power
	 * loss may take back the commits since the last checkpoint (closewatch checkpoints
	 * every 100 ms), never corrupts the file.
	 */
	NORMAL(1),

	/**
	 * Also waits for the disk at each commit: a power loss takes back nothing committed,
	 * at one fsync per commit.
	 */
	FULL(2);

	private final int code;

	SqliteSynchronous(int code) {
		this.code = code;
	}

	/**
	 * Return the value as the setting and the pragma spell it.
	 */
	String setting() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * Return how the setting spells the answer of {@code PRAGMA synchronous}.
	 * @param code the pragma's answer: 0 to 2, or 3 ({@code extra}, which a
	 * {@code spring.datasource.url} of the user's own may set)
	 */
	static String settingOf(int code) {
		for (SqliteSynchronous mode : values()) {
			if (mode.code == code) {
				return mode.setting();
			}
		}
		return (code == 3) ? "extra" : String.valueOf(code);
	}

}
