package dev.closewatch.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

/**
 * The upstreams' states the replicas publish ({@code V5__cluster_upstream_state.sql}):
 * one row per upstream, written by its owner.
 */
class UpstreamStateTable {

	private final JdbcTemplate jdbc;

	UpstreamStateTable(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Write the states of upstreams a member owns, in one statement.
	 * @param member the owner
	 * @param rows the states
	 */
	void publish(String member, Collection<Row> rows) {
		if (rows.isEmpty()) {
			return;
		}
		String[] upstreams = rows.stream().map(Row::upstream).toArray(String[]::new);
		String[] states = rows.stream().map(Row::state).toArray(String[]::new);
		Integer[] attempts = rows.stream().map(Row::attempt).toArray(Integer[]::new);
		String[] statuses = rows.stream().map(Row::status).toArray(String[]::new);
		this.jdbc.update((connection) -> {
			var statement = connection.prepareStatement(
					"""
							INSERT INTO cluster_upstream_state (upstream, owner, state, attempt, status, published_at)
							SELECT u, ?, s, a, j, now() FROM unnest(?::text[], ?::text[], ?::integer[], ?::text[]) AS r (u, s, a, j)
							ON CONFLICT (upstream) DO UPDATE SET owner = excluded.owner, state = excluded.state,
							attempt = excluded.attempt, status = excluded.status, published_at = excluded.published_at""");
			statement.setString(1, member);
			statement.setArray(2, connection.createArrayOf("text", upstreams));
			statement.setArray(3, connection.createArrayOf("text", states));
			statement.setArray(4, connection.createArrayOf("integer", attempts));
			statement.setArray(5, connection.createArrayOf("text", statuses));
			return statement;
		});
	}

	/**
	 * Remove the states of upstreams no longer defined, as long as the member still wrote
	 * them last.
	 * @param member the owner
	 * @param upstreams the names
	 */
	void remove(String member, Collection<String> upstreams) {
		if (upstreams.isEmpty()) {
			return;
		}
		String[] names = upstreams.toArray(String[]::new);
		this.jdbc.update((connection) -> {
			var statement = connection
				.prepareStatement("DELETE FROM cluster_upstream_state WHERE owner = ? AND upstream = ANY (?::text[])");
			statement.setString(1, member);
			statement.setArray(2, connection.createArrayOf("text", names));
			return statement;
		});
	}

	/**
	 * The published states of some upstreams, without their status documents.
	 * @param upstreams the names
	 * @return their rows, status left empty
	 */
	List<Row> states(Collection<String> upstreams) {
		List<Row> rows = new ArrayList<>();
		if (upstreams.isEmpty()) {
			return rows;
		}
		String[] names = upstreams.toArray(String[]::new);
		this.jdbc.query((connection) -> {
			var statement = connection.prepareStatement(
					"SELECT upstream, owner, state, attempt FROM cluster_upstream_state WHERE upstream = ANY (?::text[])");
			statement.setArray(1, connection.createArrayOf("text", names));
			return statement;
		}, (RowCallbackHandler) (row) -> rows
			.add(new Row(row.getString(1), row.getString(2), row.getString(3), row.getInt(4), "")));
		return rows;
	}

	/**
	 * Every published state.
	 * @return the rows
	 */
	List<Row> all() {
		List<Row> rows = new ArrayList<>();
		this.jdbc.query("SELECT upstream, owner, state, attempt, status FROM cluster_upstream_state",
				(RowCallbackHandler) (row) -> rows.add(new Row(row.getString(1), row.getString(2), row.getString(3),
						row.getInt(4), row.getString(5))));
		return rows;
	}

	/**
	 * One upstream's published state.
	 *
	 * @param upstream its name
	 * @param owner the member that published it
	 * @param state its state's name
	 * @param attempt the attempt number of its owner's loop, 0 before the first attempt
	 * @param status the status document (JSON)
	 */
	record Row(String upstream, String owner, String state, int attempt, String status) {

	}

}
