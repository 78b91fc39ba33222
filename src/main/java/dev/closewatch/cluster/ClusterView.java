package dev.closewatch.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

/**
 * The cluster as this replica sees it, for the API: who it is, the live members, and who
 * holds each shard (read from PostgreSQL, so every replica answers the same). Exists only
 * with {@code closewatch.cluster.enabled}.
 */
public final class ClusterView {

	private final ShardCoordinator coordinator;

	private final Leases leases;

	private final ClusterProperties properties;

	ClusterView(ShardCoordinator coordinator, Leases leases, ClusterProperties properties) {
		this.coordinator = coordinator;
		this.leases = leases;
		this.properties = properties;
	}

	/**
	 * This replica's member id.
	 * @return the id
	 */
	public String member() {
		return this.coordinator.member();
	}

	/**
	 * The live members, as this replica's last round saw them.
	 * @return their ids, sorted
	 */
	public List<String> members() {
		return this.coordinator.members();
	}

	/**
	 * Whether this replica has stopped its connections because it could not renew.
	 * @return whether it is fenced
	 */
	public boolean fenced() {
		return this.coordinator.fenced();
	}

	public int shards() {
		return this.coordinator.shards().count();
	}

	public Duration leaseTtl() {
		return this.properties.leaseTtl();
	}

	public Duration renewInterval() {
		return this.properties.renewInterval();
	}

	/**
	 * How many shards each member holds now, by the database.
	 * @return member to shards held (members holding none are left out)
	 */
	public Map<String, Integer> shardsByMember() {
		Map<String, Integer> counts = new TreeMap<>();
		this.leases.owners().values().forEach((owner) -> counts.merge(owner, 1, Integer::sum));
		return counts;
	}

	/**
	 * The shard of an upstream name.
	 * @param upstream the name
	 * @return its shard
	 */
	public int shardOf(String upstream) {
		return this.coordinator.shards().shardOf(upstream);
	}

	/**
	 * The member that holds an upstream's shard now, by the database.
	 * @param upstream the name
	 * @return the member, or {@code null} while no lease on the shard runs
	 */
	public @Nullable String ownerOf(String upstream) {
		return this.leases.owner(shardOf(upstream));
	}

}
