package dev.closewatch.config;

import java.nio.file.Path;
import java.time.Instant;

import javax.sql.DataSource;

import dev.closewatch.testserver.EmbeddedPostgresServer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The table of migration V3 keeps the API's upstreams alike in SQLite and PostgreSQL:
 * created, replaced in place, found by name, deleted.
 */
class JdbcApiUpstreamStoreTests {

	@TempDir
	Path directory;

	@Test
	void keepsDefinitionsInSqlite() {
		SQLiteDataSource dataSource = new SQLiteDataSource();
		dataSource.setUrl("jdbc:sqlite:" + this.directory.resolve("closewatch.db"));

		assertStoresDefinitions(migrated(dataSource, "sqlite"));
	}

	@Test
	void keepsDefinitionsInPostgresql() {
		assertStoresDefinitions(
				migrated(EmbeddedPostgresServer.newDatabase("api_upstream").dataSource(), "postgresql"));
	}

	private void assertStoresDefinitions(JdbcTemplate jdbc) {
		JdbcApiUpstreamStore store = new JdbcApiUpstreamStore(jdbc);

		store.save("prices", "{\"url\": \"wss://a\"}", Instant.parse("2026-12-03T10:00:00Z"));
		store.save("news", "{\"url\": \"wss://n\"}", Instant.parse("2026-12-03T10:00:01Z"));
		store.save("prices", "{\"url\": \"wss://b\"}", Instant.parse("2026-12-03T10:00:02.000000003Z"));

		assertThat(store.load()).containsExactly(java.util.Map.entry("news", "{\"url\": \"wss://n\"}"),
				java.util.Map.entry("prices", "{\"url\": \"wss://b\"}"));
		assertThat(store.find("prices")).isEqualTo("{\"url\": \"wss://b\"}");
		assertThat(jdbc.queryForObject("SELECT updated_at FROM api_upstream WHERE name = 'prices'", Long.class))
			.isEqualTo(1_796_292_002_000_000_003L);
		store.delete("prices");
		assertThat(store.find("prices")).isNull();
		assertThat(store.load()).containsOnlyKeys("news");
		assertThat(store.durable()).isTrue();
	}

	private static JdbcTemplate migrated(DataSource dataSource, String vendor) {
		Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/" + vendor).load().migrate();
		return new JdbcTemplate(dataSource);
	}

}
