package dev.closewatch.history;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;

/**
 * Prepares Spring Boot's JDBC and Flyway auto-configuration for the chosen
 * {@code closewatch.history.store}: for {@code sqlite} the data source URL of the
 * database file (its directory created, the native library unpacked beside it so that a
 * read-only root filesystem works), for {@code memory} no data source and no Flyway at
 * all; {@code postgresql} takes {@code spring.datasource.*} as the user sets them. Values
 * the user set win: this only adds defaults, at the lowest precedence.
 */
public class HistoryStoreEnvironment implements EnvironmentPostProcessor, Ordered {

	static final String DEFAULT_SQLITE_PATH = "./data/closewatch.db";

	static final String STORE = "closewatch.history.store";

	static final String SQLITE_PATH = "closewatch.history.sqlite.path";

	static final String SQLITE_SYNCHRONOUS = "closewatch.history.sqlite.synchronous";

	static final String SQLITE_QUEUE_FILE = "closewatch.history.sqlite.queue-file";

	static final String POSTGRESQL_QUEUE_FILE = "closewatch.history.postgresql.queue-file";

	// the default of both queue-file settings, here and in HistoryProperties
	static final String DEFAULT_QUEUE_FILE = "true";

	static final String WRITER_LINGER = "closewatch.history.writer.linger";

	// the writer's linger when a queue file keeps the events: the list then does not wait
	// for the commit, so the writer gathers longer, for fewer commits (SQLite's writer
	// 0.036 cores instead of 0.078 and 10 MB/s written instead of 14 at 1,000 closes/s;
	// docs/performance.md, round 28)
	static final String QUEUED_LINGER = "100ms";

	private static final String SOURCE_NAME = "closewatchHistoryStore";

	private static final String EXCLUDE = "spring.autoconfigure.exclude";

	private static final List<String> JDBC_AUTO_CONFIGURATIONS = List.of(
			"org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
			"org.springframework.boot.jdbc.autoconfigure.DataSourceInitializationAutoConfiguration",
			"org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
			"org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration",
			"org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration",
			"org.springframework.boot.jdbc.autoconfigure.health.DataSourceHealthContributorAutoConfiguration",
			"org.springframework.boot.jdbc.autoconfigure.metrics.DataSourcePoolMetricsAutoConfiguration",
			"org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration");

	// after the application's own configuration files are loaded
	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		Map<String, Object> defaults = new LinkedHashMap<>();
		Binder binder = Binder.get(environment);
		switch (store(environment)) {
			case MEMORY -> {
				List<String> excluded = new ArrayList<>(
						binder.bind(EXCLUDE, Bindable.listOf(String.class)).orElse(List.of()));
				excluded.addAll(JDBC_AUTO_CONFIGURATIONS);
				// an exclusion must override the user's list, not sit below it
				environment.getPropertySources()
					.addFirst(new MapPropertySource(SOURCE_NAME + "Exclusions",
							Map.of(EXCLUDE, String.join(",", excluded))));
			}
			case SQLITE -> {
				if (!environment.containsProperty("spring.datasource.url")) {
					Path file = sqliteFile(environment);
					defaults.put("spring.datasource.url", sqliteUrl(file, sqliteSynchronous(environment)));
					nativeLibraryDirectory(file);
					SqliteNewFile.createIfAbsent(file);
				}
				// SQLite has one writer at a time: the history's writer, retention, and a
				// few readers for the REST API
				defaults.put("spring.datasource.hikari.maximum-pool-size", 4);
			}
			case POSTGRESQL -> {
				if (!environment.containsProperty("spring.datasource.url")) {
					throw new HistoryStoreException(
							STORE + "=postgresql needs spring.datasource.url (for example "
									+ "jdbc:postgresql://db.example.com:5432/closewatch), spring.datasource.username "
									+ "and spring.datasource.password",
							"Set spring.datasource.url, or choose " + STORE + "=sqlite or memory");
				}
			}
		}
		if (!defaults.isEmpty()) {
			environment.getPropertySources().addLast(new MapPropertySource(SOURCE_NAME, defaults));
		}
		// read once the SQLite URL above is in place
		if (queueFile(environment) != null) {
			environment.getPropertySources()
				.addLast(new MapPropertySource(SOURCE_NAME + "Writer", Map.of(WRITER_LINGER, QUEUED_LINGER)));
		}
	}

	static HistoryStore store(Environment environment) {
		return setting(environment, STORE, HistoryStore.class, "sqlite", "sqlite, postgresql, memory",
				"sqlite (the default: a file), postgresql or memory");
	}

	static SqliteSynchronous sqliteSynchronous(Environment environment) {
		return setting(environment, SQLITE_SYNCHRONOUS, SqliteSynchronous.class, "normal", "normal, full, off",
				"normal (the default: an fsync at each checkpoint), full (an fsync at each commit) or off (none; "
						+ "for storage that does not outlive the machine)");
	}

	// a setting read before Boot binds HistoryProperties, so that a wrong one fails with
	// this failure analysis, naming what it takes, instead of a binding error later
	private static <E extends Enum<E>> E setting(Environment environment, String name, Class<E> type,
			String defaultValue, String values, String choices) {
		String value = environment.getProperty(name, defaultValue).trim();
		try {
			return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw new HistoryStoreException(name + " is '" + value + "'; it must be one of " + values,
					"Set " + name + " to " + choices);
		}
	}

	/**
	 * Return the SQLite database file, its directory created and checked for writing.
	 */
	private static Path sqliteFile(ConfigurableEnvironment environment) {
		String configured = environment.getProperty(SQLITE_PATH, DEFAULT_SQLITE_PATH);
		Path file = Path.of(configured).toAbsolutePath().normalize();
		Path directory = file.getParent();
		String action = "Point " + SQLITE_PATH + " at a file in a writable directory (in a container, a volume "
				+ "such as /var/lib/closewatch), or set " + STORE + "=memory to keep nothing on disk";
		try {
			Files.createDirectories(directory);
		}
		catch (IOException | SecurityException ex) {
			Path existing = directory;
			while (existing != null && !Files.exists(existing)) {
				existing = existing.getParent();
			}
			String why = (existing != null && !Files.isDirectory(existing)) ? existing + " is a file, not a directory"
					: "its directory " + directory + " cannot be created: " + ex;
			throw new HistoryStoreException(SQLITE_PATH + " is '" + configured + "', but " + why, action);
		}
		if (Files.isDirectory(file)) {
			throw new HistoryStoreException(SQLITE_PATH + " is '" + configured + "', which is a directory", action);
		}
		if (!Files.isWritable(directory) || (Files.exists(file) && !Files.isWritable(file))) {
			throw new HistoryStoreException(SQLITE_PATH + " is '" + configured + "', but "
					+ (Files.exists(file) ? file : directory) + " is not writable by this process", action);
		}
		return file;
	}

	/**
	 * Unpack sqlite-jdbc's native library beside the database rather than in
	 * {@code java.io.tmpdir}, which may be read-only or {@code noexec} in a container.
	 */
	private static void nativeLibraryDirectory(Path file) {
		if (System.getProperty("org.sqlite.tmpdir") != null) {
			return;
		}
		Path directory = file.resolveSibling(".native");
		try {
			Files.createDirectories(directory);
			System.setProperty("org.sqlite.tmpdir", directory.toString());
		}
		catch (IOException ex) {
			// sqlite-jdbc then uses java.io.tmpdir
		}
	}

	// the pragmas every connection gets: WAL lets readers run beside the writer, and
	// synchronous NORMAL (the default) keeps every commit through a process crash (not an
	// OS crash) without an fsync per commit; the busy timeout covers other processes (a
	// backup), this one's writers take turns (JdbcCloseEventStore). SQLite starts the log
	// over from its beginning once it has all been copied, but never shrinks the file: a
	// burst (an import, retention working off a backlog) left it at 100-150 MiB for good.
	// journal_size_limit truncates it to 64 MiB when it starts over; at 1,000 closes/s
	// the log starts over every few MiB and never reaches the limit.
	static final long JOURNAL_SIZE_LIMIT = 64 * 1024 * 1024;

	static String sqliteUrl(Path file, SqliteSynchronous synchronous) {
		return "jdbc:sqlite:" + file + "?journal_mode=WAL&synchronous=" + synchronous.name()
				+ "&busy_timeout=5000&foreign_keys=true&journal_size_limit=" + JOURNAL_SIZE_LIMIT;
	}

	static String sqliteUrl(Path file) {
		return sqliteUrl(file, SqliteSynchronous.NORMAL);
	}

	/**
	 * Return the {@link QueueFile} of the history store, or {@code null} when it has
	 * none: with SQLite the file beside the database, with PostgreSQL one in
	 * {@code java.io.tmpdir} (in the chart's pod an {@code emptyDir}, which outlives a
	 * restart of the container) named after the database's URL, so that closewatch
	 * processes on other databases never share one; none when clustered, since the list
	 * then reads the database the replicas share, or when turned off.
	 */
	static @Nullable Path queueFile(Environment environment) {
		boolean byDefault = Boolean.parseBoolean(DEFAULT_QUEUE_FILE);
		return switch (store(environment)) {
			case SQLITE -> environment.getProperty(SQLITE_QUEUE_FILE, Boolean.class, byDefault)
					? sqliteQueueFile(environment) : null;
			case POSTGRESQL -> (environment.getProperty(POSTGRESQL_QUEUE_FILE, Boolean.class, byDefault)
					&& !environment.getProperty("closewatch.cluster.enabled", Boolean.class, false))
							? postgresqlQueueFile(environment.getProperty("spring.datasource.url", "")) : null;
			case MEMORY -> null;
		};
	}

	static String queueFileSetting(Environment environment) {
		return (store(environment) == HistoryStore.POSTGRESQL) ? POSTGRESQL_QUEUE_FILE : SQLITE_QUEUE_FILE;
	}

	private static Path postgresqlQueueFile(String url) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(url.getBytes(StandardCharsets.UTF_8));
			String name = "closewatch-" + HexFormat.of().formatHex(digest, 0, 8) + ".queue";
			return Path.of(System.getProperty("java.io.tmpdir"), name).toAbsolutePath().normalize();
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
		}
	}

	private static @Nullable Path sqliteQueueFile(Environment environment) {
		String url = environment.getProperty("spring.datasource.url", "");
		if (!url.startsWith("jdbc:sqlite:")) {
			return null;
		}
		String file = url.substring("jdbc:sqlite:".length());
		int query = file.indexOf('?');
		file = (query >= 0) ? file.substring(0, query) : file;
		if (file.isEmpty() || file.contains(":memory:") || file.startsWith("file:")) {
			return null;
		}
		return Path.of(file + "-queue").toAbsolutePath().normalize();
	}

}
