package dev.closewatch.history;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import com.zaxxer.hikari.HikariDataSource;
import org.jspecify.annotations.Nullable;

/**
 * The history writer's connection from its own pool ({@link HistoryWriterPool}), kept
 * between batches rather than borrowed for each.
 * <p>
 * A Hikari pool tests a connection that has been idle for more than half a second before
 * lending it, and pgjdbc's {@code isValid} runs a plain {@code Statement}. That one
 * statement of another class, after thousands of the writer's {@code PreparedStatement}s,
 * makes the JIT throw away its compiled code for pgjdbc's execute path
 * (speculate_class_check traps in {@code PgStatement.executeInternal}, seen with JFR's
 * {@code jdk.Deoptimization} events) and compile it again: at the start of every burst of
 * closes that follows a pause, exactly when they are many. Kept, the connection is never
 * tested by the pool; the writer's own statements test it instead (its heartbeat runs
 * every 15 seconds), and one that fails after a pause has the statement run again on a
 * new one, as the pool's test would have found it dead. It is handed back and a new one
 * taken once it has been held for the pool's {@code maxLifetime}, so that the pool still
 * retires its connections.
 * <p>
 * Used by one thread at a time.
 */
final class HeldConnection implements AutoCloseable {

	/**
	 * How long a Hikari pool lends an idle connection without testing it (its
	 * {@code com.zaxxer.hikari.aliveBypassWindowMs}, 500 ms by default).
	 */
	static final Duration UNTESTED_IDLE = Duration.ofMillis(500);

	private final HikariDataSource pool;

	private final LongSupplier nanoTime;

	private @Nullable Connection connection;

	private long heldSince;

	private long lastUsed;

	HeldConnection(HikariDataSource pool) {
		this(pool, System::nanoTime);
	}

	HeldConnection(HikariDataSource pool, LongSupplier nanoTime) {
		this.pool = pool;
		this.nanoTime = nanoTime;
	}

	/**
	 * Run the work on the held connection, taking one from the pool if none is held or
	 * the one held has reached the pool's {@code maxLifetime}. A connection the work
	 * fails on is evicted from the pool. If it had been idle for longer than the pool
	 * lends a connection untested ({@link #UNTESTED_IDLE}), the work runs once more on a
	 * new connection, as if the pool had found it dead; otherwise the failure is thrown
	 * and the writer's retry takes a new one.
	 * @param work what to do; it may run twice, so it must be safe to (the writer's
	 * statements are)
	 * @throws SQLException the work's failure, or the pool's
	 */
	synchronized <T> T run(Work<T> work) throws SQLException {
		Connection held = this.connection;
		if (held != null && heldLongerThan(this.pool.getMaxLifetime())) {
			release();
			held = null;
		}
		if (held == null) {
			return attempt(work, take());
		}
		boolean untestedByThePool = this.nanoTime.getAsLong() - this.lastUsed > UNTESTED_IDLE.toNanos();
		try {
			return attempt(work, held);
		}
		catch (SQLException | RuntimeException ex) {
			if (!untestedByThePool) {
				throw ex;
			}
			try {
				return attempt(work, take());
			}
			catch (SQLException | RuntimeException again) {
				again.addSuppressed(ex);
				throw again;
			}
		}
	}

	/**
	 * Return whether a connection is held now.
	 */
	synchronized boolean holds() {
		return this.connection != null;
	}

	/**
	 * Hand the connection back to the pool.
	 */
	@Override
	public synchronized void close() {
		release();
	}

	private Connection take() throws SQLException {
		Connection taken = this.pool.getConnection();
		this.connection = taken;
		this.heldSince = this.nanoTime.getAsLong();
		return taken;
	}

	// a connection the work fails on is evicted: the pool closes it and makes another
	private <T> T attempt(Work<T> work, Connection connection) throws SQLException {
		try {
			T result = work.on(connection);
			this.lastUsed = this.nanoTime.getAsLong();
			return result;
		}
		catch (SQLException | RuntimeException ex) {
			this.connection = null;
			this.pool.evictConnection(connection);
			throw ex;
		}
	}

	// maxLifetime 0 is "no limit" in Hikari
	private boolean heldLongerThan(long maxLifetimeMillis) {
		return maxLifetimeMillis > 0
				&& this.nanoTime.getAsLong() - this.heldSince >= TimeUnit.MILLISECONDS.toNanos(maxLifetimeMillis);
	}

	private void release() {
		Connection held = this.connection;
		this.connection = null;
		if (held != null) {
			try {
				held.close();
			}
			catch (SQLException ex) {
				// the pool discards a connection it cannot take back
			}
		}
	}

	/**
	 * Work on a connection.
	 *
	 * @param <T> what it answers
	 */
	@FunctionalInterface
	interface Work<T> {

		T on(Connection connection) throws SQLException;

	}

}
