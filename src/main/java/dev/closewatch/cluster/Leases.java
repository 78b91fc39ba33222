package dev.closewatch.cluster;

import java.sql.Array;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

/**
 * The membership and lease rows in PostgreSQL ({@code V4__cluster.sql}). Every expiry is
 * written and judged with the database's {@code now()}; a replica's own clock never
 * decides whether a lease is still held. Each call is one statement, so it is atomic
 * without an explicit transaction.
 */
class Leases {

	private final JdbcTemplate jdbc;

	Leases(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Say that a member is live for another {@code ttl}.
	 * @param member the member
	 * @param ttl how long it counts as live without another heartbeat
	 */
	void heartbeat(String member, Duration ttl) {
		this.jdbc.update("""
				INSERT INTO cluster_member (member_id, expires_at) VALUES (?, now() + make_interval(secs => ?))
				ON CONFLICT (member_id) DO UPDATE SET expires_at = excluded.expires_at""", member, seconds(ttl));
	}

	/**
	 * The members whose heartbeat has not expired, by id.
	 * @return the live members
	 */
	List<String> liveMembers() {
		return this.jdbc.queryForList(
				"SELECT member_id FROM cluster_member WHERE expires_at > now() ORDER BY member_id", String.class);
	}

	/**
	 * Take or renew the leases of shards for another {@code ttl}: each one the member
	 * holds already, or that nobody holds, or whose lease has expired. A shard another
	 * member holds with a lease still running is left alone.
	 * @param member the member
	 * @param shards the shards it wants
	 * @param ttl the lease's length from the database's now
	 * @return the shards it holds now, of those it asked for
	 */
	BitSet claim(String member, BitSet shards, Duration ttl) {
		BitSet held = new BitSet();
		if (shards.isEmpty()) {
			return held;
		}
		Integer[] wanted = shards.stream().boxed().toArray(Integer[]::new);
		this.jdbc.query((connection) -> {
			Array array = connection.createArrayOf("integer", wanted);
			var statement = connection.prepareStatement("""
					INSERT INTO cluster_lease (shard, owner, expires_at)
					SELECT s, ?, now() + make_interval(secs => ?) FROM unnest(?::integer[]) AS s
					ON CONFLICT (shard) DO UPDATE
					SET owner = excluded.owner, expires_at = excluded.expires_at,
					successor = CASE WHEN cluster_lease.owner = excluded.owner THEN cluster_lease.successor END
					WHERE cluster_lease.owner = excluded.owner OR cluster_lease.expires_at <= now()
					OR cluster_lease.successor = excluded.owner
					RETURNING shard""");
			statement.setString(1, member);
			statement.setDouble(2, seconds(ttl));
			statement.setArray(3, array);
			return statement;
		}, (RowCallbackHandler) (row) -> held.set(row.getInt(1)));
		return held;
	}

	/**
	 * Hand shards to their next owners while still holding them: each may take its
	 * shard's lease while it runs ({@link #claim}); until then the owner keeps renewing.
	 * @param member the owner
	 * @param successors the next owner of each shard handed over
	 */
	void offer(String member, Map<Integer, String> successors) {
		if (successors.isEmpty()) {
			return;
		}
		Integer[] shards = successors.keySet().toArray(Integer[]::new);
		String[] members = successors.values().toArray(String[]::new);
		this.jdbc.update((connection) -> {
			var statement = connection.prepareStatement("""
					UPDATE cluster_lease SET successor = handed.successor
					FROM unnest(?::integer[], ?::text[]) AS handed (shard, successor)
					WHERE cluster_lease.shard = handed.shard AND cluster_lease.owner = ?
					AND cluster_lease.successor IS DISTINCT FROM handed.successor""");
			statement.setArray(1, connection.createArrayOf("integer", shards));
			statement.setArray(2, connection.createArrayOf("text", members));
			statement.setString(3, member);
			return statement;
		});
	}

	/**
	 * Stop counting a member as live while it keeps its leases: a member that is leaving
	 * hands its shards over before it ends them.
	 * @param member the member
	 */
	void retire(String member) {
		this.jdbc.update("DELETE FROM cluster_member WHERE member_id = ?", member);
	}

	/**
	 * Leave the cluster: the membership row goes and every lease the member holds ends
	 * now.
	 * @param member the member
	 */
	void leave(String member) {
		this.jdbc.update("UPDATE cluster_lease SET expires_at = now() WHERE owner = ? AND expires_at > now()", member);
		this.jdbc.update("DELETE FROM cluster_member WHERE member_id = ?", member);
	}

	/**
	 * The current holder of one shard, if its lease is running.
	 * @param shard the shard
	 * @return the owner, or {@code null}
	 */
	@Nullable String owner(int shard) {
		List<String> owners = this.jdbc.queryForList(
				"SELECT owner FROM cluster_lease WHERE shard = ? AND expires_at > now()", String.class, shard);
		return owners.isEmpty() ? null : owners.get(0);
	}

	/**
	 * The current holder of every shard whose lease is running.
	 * @return shard to owner
	 */
	Map<Integer, String> owners() {
		Map<Integer, String> owners = new TreeMap<>();
		this.jdbc.query("SELECT shard, owner FROM cluster_lease WHERE expires_at > now()",
				(RowCallbackHandler) (row) -> owners.put(row.getInt(1), row.getString(2)));
		return owners;
	}

	/**
	 * The shards a member holds with a running lease.
	 * @param member the member
	 * @return its shards
	 */
	List<Integer> heldBy(String member) {
		return new ArrayList<>(this.jdbc.queryForList(
				"SELECT shard FROM cluster_lease WHERE owner = ? AND expires_at > now() ORDER BY shard", Integer.class,
				member));
	}

	private static double seconds(Duration duration) {
		return duration.toNanos() / 1e9;
	}

}
