package dev.closewatch.history;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.closewatch.CloseWatchApplication;
import dev.closewatch.testserver.EmbeddedPostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteJDBCLoader;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * A history store that cannot be used as configured fails startup with Boot's failure
 * analysis ("APPLICATION FAILED TO START", Description, Action) naming the setting to
 * change, never with a stack trace alone.
 */
@ExtendWith(OutputCaptureExtension.class)
class HistoryStoreStartupFailureTests {

	@TempDir
	private Path temp;

	@Test
	void failsNamingTheSqlitePathWhenItsDirectoryIsAFile(CapturedOutput output) throws Exception {
		Path file = Files.writeString(this.temp.resolve("not-a-directory"), "x");

		String report = failedStartup(output, "--closewatch.history.store=sqlite",
				"--closewatch.history.sqlite.path=" + file.resolve("closewatch.db"));

		assertThat(description(report)).contains("closewatch.history.sqlite.path is '" + file.resolve("closewatch.db")
				+ "', but " + file + " is a file, not a directory");
		assertThat(action(report)).contains("closewatch.history.sqlite.path", "writable directory");
	}

	@Test
	void failsNamingTheFileInTheWayWhenAnAncestorOfTheSqlitePathIsAFile(CapturedOutput output) throws Exception {
		Path file = Files.writeString(this.temp.resolve("not-a-directory"), "x");

		String report = failedStartup(output, "--closewatch.history.store=sqlite",
				"--closewatch.history.sqlite.path=" + file.resolve("data/closewatch.db"));

		assertThat(description(report)).contains("but " + file + " is a file, not a directory");
	}

	@Test
	void failsNamingTheSqlitePathWhenItIsUnderProc(CapturedOutput output) {
		String report = failedStartup(output, "--closewatch.history.store=sqlite",
				"--closewatch.history.sqlite.path=/proc/closewatch/closewatch.db");

		assertThat(description(report)).contains("closewatch.history.sqlite.path is '/proc/closewatch/closewatch.db'",
				"cannot be created");
		assertThat(action(report)).contains("closewatch.history.sqlite.path");
	}

	@Test
	void failsNamingTheSqlitePathWhenItsDiskIsFull(CapturedOutput output) throws Exception {
		// as in any JVM that opened SQLite before: loaded, it needs no room on the full
		// disk
		SQLiteJDBCLoader.initialize();
		try (TinyFilesystem disk = TinyFilesystem.mount(this.temp.resolve("disk"), "1m")) {
			disk.fill();

			String report = failedStartup(output, "--closewatch.history.store=sqlite",
					"--closewatch.history.sqlite.path=" + disk.path().resolve("closewatch.db"));

			assertThat(description(report)).contains("closewatch.history.sqlite.path", "disk", "full");
			assertThat(action(report)).contains("closewatch.history.sqlite.path", "free space");
		}
	}

	@Test
	void failsNamingUsernameAndPasswordWhenPostgresqlRejectsThePassword(CapturedOutput output) throws Exception {
		EmbeddedPostgresServer.Database database = EmbeddedPostgresServer.newDatabase("startup");
		String role = PasswordRole.require(database);

		String report = failedStartup(output, "--closewatch.history.store=postgresql",
				"--spring.datasource.url=" + database.url(), "--spring.datasource.username=" + role,
				"--spring.datasource.password=wrong");

		assertThat(description(report)).contains("PostgreSQL rejected the credentials", "spring.datasource.username",
				"spring.datasource.password");
		assertThat(action(report)).contains("spring.datasource.username", "spring.datasource.password");
	}

	@Test
	void failsNamingTheUrlWhenNoPostgresqlListensThere(CapturedOutput output) {
		int closed = CloseWatchProcess.freePort();

		String report = failedStartup(output, "--closewatch.history.store=postgresql",
				"--spring.datasource.url=jdbc:postgresql://127.0.0.1:" + closed + "/closewatch",
				"--spring.datasource.username=closewatch", "--spring.datasource.password=secret");

		assertThat(description(report)).contains("cannot connect to PostgreSQL at spring.datasource.url")
			.contains("127.0.0.1:" + closed);
		assertThat(action(report)).contains("spring.datasource.url");
		assertThat(report).doesNotContain("secret");
	}

	@Test
	void failsListingTheStoresWhenTheStoreIsUnknown(CapturedOutput output) {
		String report = failedStartup(output, "--closewatch.history.store=bogus");

		assertThat(description(report))
			.contains("closewatch.history.store is 'bogus'; it must be one of sqlite, postgresql, memory");
		assertThat(action(report)).contains("closewatch.history.store");
	}

	@Test
	void failsListingTheModesWhenSqliteSynchronousIsUnknown(CapturedOutput output) {
		String report = failedStartup(output, "--closewatch.history.store=sqlite",
				"--closewatch.history.sqlite.path=" + this.temp.resolve("closewatch.db"),
				"--closewatch.history.sqlite.synchronous=extra");

		assertThat(description(report))
			.contains("closewatch.history.sqlite.synchronous is 'extra'; it must be one of normal, full, off");
		assertThat(action(report)).contains("closewatch.history.sqlite.synchronous", "normal (the default");
	}

	@Test
	void failsAskingForTheUrlWhenPostgresqlHasNone(CapturedOutput output) {
		String report = failedStartup(output, "--closewatch.history.store=postgresql");

		assertThat(description(report)).contains("closewatch.history.store=postgresql needs spring.datasource.url");
		assertThat(action(report)).contains("Set spring.datasource.url");
	}

	/**
	 * Start closewatch with the arguments, expect it to fail, and return the failure
	 * report it printed.
	 */
	private static String failedStartup(CapturedOutput output, String... arguments) {
		List<String> all = new ArrayList<>(List.of("--server.port=0", "--server.address=127.0.0.1"));
		all.addAll(List.of(arguments));

		assertThatException()
			.isThrownBy(() -> new SpringApplicationBuilder(CloseWatchApplication.class).run(all.toArray(String[]::new))
				.close());

		String printed = output.getAll();
		int start = printed.lastIndexOf("APPLICATION FAILED TO START");
		assertThat(start).as("a failure analysis in:%n%s", printed).isNotNegative();
		return printed.substring(start);
	}

	private static String description(String report) {
		return section(report, "Description:", "Action:");
	}

	private static String action(String report) {
		return section(report, "Action:", null);
	}

	private static String section(String report, String heading, String next) {
		int start = report.indexOf(heading);
		assertThat(start).as("%s in%n%s", heading, report).isNotNegative();
		int end = (next != null) ? report.indexOf(next, start) : -1;
		return report.substring(start + heading.length(), (end >= 0) ? end : report.length()).trim();
	}

	/**
	 * A role that must give its password: PostgreSQL's test server trusts every local
	 * connection, so one {@code pg_hba.conf} line, first, makes an exception for it.
	 */
	private static final class PasswordRole {

		static final String NAME = "closewatch_password";

		static synchronized String require(EmbeddedPostgresServer.Database database) throws Exception {
			try (Connection connection = EmbeddedPostgresServer.server().getPostgresDatabase().getConnection();
					Statement statement = connection.createStatement()) {
				statement.execute("DROP ROLE IF EXISTS " + NAME);
				statement.execute("CREATE ROLE " + NAME + " LOGIN PASSWORD 'right'");
				String hba = query(statement, "SHOW hba_file");
				String line = "host all " + NAME + " 127.0.0.1/32 scram-sha-256";
				String current = Files.readString(Path.of(hba));
				if (!current.startsWith(line)) {
					Files.writeString(Path.of(hba), line + "\n" + current);
				}
				statement.execute("SELECT pg_reload_conf()");
			}
			awaitPasswordRequired(database);
			return NAME;
		}

		// the postmaster reloads pg_hba.conf on a signal, not at once
		private static void awaitPasswordRequired(EmbeddedPostgresServer.Database database) {
			await().atMost(Duration.ofSeconds(10)).until(() -> {
				try (Connection connection = DriverManager.getConnection(database.url(), NAME, "wrong")) {
					return false;
				}
				catch (SQLException ex) {
					return "28P01".equals(ex.getSQLState());
				}
			});
		}

		private static String query(Statement statement, String sql) throws SQLException {
			try (ResultSet result = statement.executeQuery(sql)) {
				result.next();
				return result.getString(1);
			}
		}

	}

}
