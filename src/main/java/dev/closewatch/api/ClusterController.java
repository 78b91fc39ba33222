package dev.closewatch.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.closewatch.cluster.ClusterView;
import dev.closewatch.upstream.UpstreamSources;
import dev.closewatch.upstream.Upstreams;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * The cluster of replicas sharing the upstreams, from any replica: its members and their
 * shares, and which replica watches an upstream. Answers {@code "enabled": false} without
 * {@code closewatch.cluster}. See {@code docs/api.md}.
 */
@RestController
class ClusterController {

	private final @Nullable ClusterView cluster;

	private final Upstreams upstreams;

	private final UpstreamSources sources;

	ClusterController(ObjectProvider<ClusterView> cluster, Upstreams upstreams, UpstreamSources sources) {
		this.cluster = cluster.getIfAvailable();
		this.upstreams = upstreams;
		this.sources = sources;
	}

	@GetMapping("/api/v1/cluster")
	ClusterResponse cluster() {
		ClusterView cluster = this.cluster;
		if (cluster == null) {
			return new ClusterResponse(false, null, null, null, null, null, null, List.of());
		}
		Map<String, Integer> held = cluster.shardsByMember();
		List<String> live = cluster.members();
		List<MemberResponse> members = new ArrayList<>();
		for (String member : live) {
			members.add(new MemberResponse(member, held.getOrDefault(member, 0), member.equals(cluster.member())));
		}
		held.forEach((member, shards) -> {
			if (!live.contains(member)) {
				// still holds a running lease, no longer seen live: it is on its way out
				members.add(new MemberResponse(member, shards, member.equals(cluster.member())));
			}
		});
		int unowned = cluster.shards() - held.values().stream().mapToInt(Integer::intValue).sum();
		return new ClusterResponse(true, cluster.member(), cluster.fenced(), cluster.shards(), unowned,
				cluster.leaseTtl(), cluster.renewInterval(), members);
	}

	@GetMapping("/api/v1/cluster/upstreams/{name}")
	OwnerResponse owner(@PathVariable("name") String name) {
		if (this.sources.owner(name) == null) {
			throw new UnknownUpstreamException("name", name);
		}
		ClusterView cluster = this.cluster;
		if (cluster == null) {
			return new OwnerResponse(name, null, null, true);
		}
		return new OwnerResponse(name, cluster.shardOf(name), cluster.ownerOf(name), this.upstreams.contains(name));
	}

	/**
	 * The cluster as seen from this replica.
	 *
	 * @param enabled whether the replicas share the upstreams; nothing else is set
	 * otherwise
	 * @param member this replica's member id
	 * @param fenced whether this replica stopped its connections for want of renewing
	 * @param shards how many shards the names map to
	 * @param unowned how many shards no running lease holds (a takeover in progress)
	 * @param leaseTtl the lease length
	 * @param renewInterval how often members renew
	 * @param members the live members and their shares, this replica marked
	 */
	record ClusterResponse(boolean enabled, @Nullable String member, @Nullable Boolean fenced, @Nullable Integer shards,
			@Nullable Integer unowned, @Nullable Duration leaseTtl, @Nullable Duration renewInterval,
			List<MemberResponse> members) {

	}

	/**
	 * One member.
	 *
	 * @param id its member id
	 * @param shards how many shards it holds
	 * @param self whether it is the replica that answered
	 */
	record MemberResponse(String id, int shards, boolean self) {

	}

	/**
	 * Who watches an upstream.
	 *
	 * @param upstream the name
	 * @param shard its shard, {@code null} without the cluster
	 * @param owner the member holding the shard's lease, {@code null} without the cluster
	 * or while none does
	 * @param here whether the replica that answered watches it
	 */
	record OwnerResponse(String upstream, @Nullable Integer shard, @Nullable String owner, boolean here) {

	}

}
