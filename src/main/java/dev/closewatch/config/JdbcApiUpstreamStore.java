package dev.closewatch.config;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

/**
 * Keeps the upstreams defined through the REST API in the history store's database
 * (SQLite or PostgreSQL), table {@code api_upstream} of migration V3.
 */
class JdbcApiUpstreamStore implements ApiUpstreamStore {

	// ON CONFLICT ... DO UPDATE is understood by SQLite (3.24+) and PostgreSQL alike
	private static final String UPSERT = "INSERT INTO api_upstream (name, body, updated_at) VALUES (?, ?, ?) "
			+ "ON CONFLICT (name) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at";

	private final JdbcTemplate jdbc;

	JdbcApiUpstreamStore(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public Map<String, String> load() {
		Map<String, String> bodies = new LinkedHashMap<>();
		RowCallbackHandler row = (rows) -> bodies.put(rows.getString("name"), rows.getString("body"));
		this.jdbc.query("SELECT name, body FROM api_upstream ORDER BY name", row);
		return bodies;
	}

	@Override
	public @Nullable String find(String name) {
		List<String> bodies = this.jdbc.queryForList("SELECT body FROM api_upstream WHERE name = ?", String.class,
				name);
		return bodies.isEmpty() ? null : bodies.get(0);
	}

	@Override
	public void save(String name, String body, Instant updatedAt) {
		this.jdbc.update(UPSERT, name, body, updatedAt.getEpochSecond() * 1_000_000_000L + updatedAt.getNano());
	}

	@Override
	public void delete(String name) {
		this.jdbc.update("DELETE FROM api_upstream WHERE name = ?", name);
	}

	// the count and a sum of the nanosecond stamps (reduced, so that SQLite's 64-bit sum
	// cannot overflow): a put stamps anew, a delete lowers the count
	@Override
	public String fingerprint() {
		return this.jdbc.queryForObject(
				"SELECT count(*) || ':' || coalesce(sum(updated_at % 1000000007), 0) FROM api_upstream", String.class);
	}

	@Override
	public boolean durable() {
		return true;
	}

}
