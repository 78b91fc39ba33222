package dev.closewatch.history;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sqlite.SQLiteDataSource;

import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code closewatch.history.sqlite.synchronous} reaches every connection of the SQLite
 * file, a new file gets the page size of {@link SqliteNewFile}, and the history store's
 * health says what the connections have.
 */
class SqliteFileSettingsTests {

	@TempDir
	Path directory;

	@ParameterizedTest
	@CsvSource({ "off, 0", "normal, 1", "full, 2", "' FULL ', 2" })
	void givesEveryConnectionTheConfiguredMode(String setting, int pragma) {
		String url = datasourceUrl(Map.of(HistoryStoreEnvironment.SQLITE_SYNCHRONOUS, setting));

		JdbcTemplate jdbc = new JdbcTemplate(dataSource(url));

		assertThat(jdbc.queryForObject("PRAGMA synchronous", Integer.class)).isEqualTo(pragma);
		assertThat(jdbc.queryForObject("PRAGMA journal_mode", String.class)).isEqualTo("wal");
	}

	@Test
	void boundsTheLogFileAfterItStartsOverOnEveryConnection() {
		String url = datasourceUrl(Map.of());

		JdbcTemplate jdbc = new JdbcTemplate(dataSource(url));

		assertThat(jdbc.queryForObject("PRAGMA journal_size_limit", Long.class)).isEqualTo(64L * 1024 * 1024);
	}

	@Test
	void isNormalByDefault() {
		String url = datasourceUrl(Map.of());

		assertThat(new JdbcTemplate(dataSource(url)).queryForObject("PRAGMA synchronous", Integer.class)).isEqualTo(1);
	}

	@Test
	void givesANewFilePagesOfTwoKibibytesInWalMode() {
		String url = datasourceUrl(Map.of());

		JdbcTemplate jdbc = new JdbcTemplate(dataSource(url));

		assertThat(jdbc.queryForObject("PRAGMA page_size", Integer.class)).isEqualTo(2048);
		assertThat(jdbc.queryForObject("PRAGMA journal_mode", String.class)).isEqualTo("wal");
	}

	@Test
	void keepsThePageSizeOfAFileThatExists() {
		Path file = this.directory.resolve("closewatch.db");
		JdbcTemplate before = new JdbcTemplate(dataSource("jdbc:sqlite:" + file));
		before.execute("PRAGMA page_size = 4096");
		before.execute("CREATE TABLE kept (x INTEGER)");

		String url = datasourceUrl(Map.of());

		JdbcTemplate jdbc = new JdbcTemplate(dataSource(url));
		assertThat(jdbc.queryForObject("PRAGMA page_size", Integer.class)).isEqualTo(4096);
		assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM kept", Integer.class)).isZero();
	}

	@Test
	void leavesAnEmptyFileWithALogOfItsOwnToSqlite() throws Exception {
		Path file = this.directory.resolve("closewatch.db");
		Files.createFile(file);
		Files.write(this.directory.resolve("closewatch.db-wal"), new byte[] { 1, 2, 3 });

		SqliteNewFile.createIfAbsent(file);

		assertThat(file).isEmptyFile();
	}

	@Test
	void leavesAUrlOfTheUsersOwnAsItIs() {
		String own = "jdbc:sqlite:" + this.directory.resolve("own.db") + "?synchronous=FULL";

		String url = datasourceUrl(
				Map.of("spring.datasource.url", own, HistoryStoreEnvironment.SQLITE_SYNCHRONOUS, "off"));

		assertThat(url).isEqualTo(own);
	}

	@Test
	void healthShowsTheModeAndThePageSizeTheConnectionsHave() {
		JdbcCloseEventStore store = migratedStore(Map.of(HistoryStoreEnvironment.SQLITE_SYNCHRONOUS, "off"));
		CloseEventWriter writer = new CloseEventWriter(store,
				new HistoryProperties.Writer(10, 3, Duration.ZERO, Duration.ofSeconds(1), Duration.ZERO),
				new MonitorRun("run", "test", Instant.now()), Clock.systemUTC());

		HistoryStoreHealthIndicator health = new HistoryStoreHealthIndicator(writer, store);

		assertThat(health.health(true).getDetails()).containsEntry("store", "sqlite")
			.containsEntry("synchronous", "off")
			.containsEntry("pageSize", 2048)
			.doesNotContainKey("synchronousCommit");
	}

	private JdbcCloseEventStore migratedStore(Map<String, Object> settings) {
		return StoreFixtures.migrated(dataSource(datasourceUrl(settings)), HistoryStore.SQLITE);
	}

	@Test
	void lingersLongerWhenTheQueueFileKeepsTheEvents() {
		assertThat(environment(Map.of()).getProperty(HistoryStoreEnvironment.WRITER_LINGER)).isEqualTo("100ms");
	}

	@Test
	void keepsTheWritersOwnDefaultWithoutAQueueFile() {
		assertThat(environment(Map.of(HistoryStoreEnvironment.SQLITE_QUEUE_FILE, "false"))
			.getProperty(HistoryStoreEnvironment.WRITER_LINGER)).isNull();
	}

	@Test
	void leavesALingerTheUserSetAlone() {
		assertThat(environment(Map.of(HistoryStoreEnvironment.WRITER_LINGER, "5ms"))
			.getProperty(HistoryStoreEnvironment.WRITER_LINGER)).isEqualTo("5ms");
	}

	/**
	 * Return the data source URL that closewatch's environment gives the settings.
	 */
	private String datasourceUrl(Map<String, Object> settings) {
		return environment(settings).getRequiredProperty("spring.datasource.url");
	}

	/**
	 * Return closewatch's environment for the settings.
	 */
	private StandardEnvironment environment(Map<String, Object> settings) {
		Map<String, Object> all = new LinkedHashMap<>();
		all.put(HistoryStoreEnvironment.STORE, "sqlite");
		all.put(HistoryStoreEnvironment.SQLITE_PATH, this.directory.resolve("closewatch.db").toString());
		all.putAll(settings);
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new MapPropertySource("test", all));
		// where sqlite-jdbc unpacks its library stays as the other tests of this JVM have
		// it
		String nativeDirectory = System.getProperty("org.sqlite.tmpdir");
		try {
			new HistoryStoreEnvironment().postProcessEnvironment(environment, new SpringApplication());
		}
		finally {
			if (nativeDirectory != null) {
				System.setProperty("org.sqlite.tmpdir", nativeDirectory);
			}
			else {
				System.clearProperty("org.sqlite.tmpdir");
			}
		}
		return environment;
	}

	private static DataSource dataSource(String url) {
		SQLiteDataSource dataSource = new SQLiteDataSource();
		dataSource.setUrl(url);
		return dataSource;
	}

}
