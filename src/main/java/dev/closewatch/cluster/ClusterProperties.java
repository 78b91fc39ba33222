package dev.closewatch.cluster;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Several replicas sharing the upstreams ({@code closewatch.cluster.*}).
 *
 * @param enabled whether this replica shares the upstreams with the others on the same
 * PostgreSQL ({@code closewatch.history.store=postgresql} is required)
 * @param memberId this replica's id among them; the host name (a pod's name) when empty
 * @param leaseTtl how long a shard's lease and a membership run without renewal, by the
 * database's clock: a crashed replica's upstreams move after at most this
 * @param renewInterval how often a replica renews, at most a third of the lease-ttl; it
 * stops its connections when it could not renew for
 * {@code lease-ttl - 2 × renew-interval}
 * @param shards how many shards the upstream names map to; the same on every replica
 * @param publishInterval how often a replica publishes the changed states of its
 * upstreams to PostgreSQL, for the other replicas' API and for handovers: a state shown
 * by another replica is at most this old
 */
@ConfigurationProperties("closewatch.cluster")
record ClusterProperties(@DefaultValue("false") boolean enabled, @Nullable String memberId,
		@DefaultValue("15s") Duration leaseTtl, @DefaultValue("3s") Duration renewInterval,
		@DefaultValue("1024") int shards, @DefaultValue("1s") Duration publishInterval) {

	ClusterProperties {
		if (renewInterval.isNegative() || renewInterval.isZero()) {
			throw new IllegalArgumentException(
					"closewatch.cluster.renew-interval must be positive, was " + renewInterval);
		}
		if (renewInterval.multipliedBy(3).compareTo(leaseTtl) > 0) {
			throw new IllegalArgumentException("closewatch.cluster.renew-interval (" + renewInterval
					+ ") must be at most a third of closewatch.cluster.lease-ttl (" + leaseTtl
					+ "): a replica fences itself two renew intervals before its leases end, and needs a round to spare");
		}
		if (publishInterval.toMillis() < 100) {
			throw new IllegalArgumentException(
					"closewatch.cluster.publish-interval must be at least 100ms, was " + publishInterval);
		}
		if (shards < 1 || shards > 65536) {
			throw new IllegalArgumentException("closewatch.cluster.shards must be 1-65536, was " + shards);
		}
	}

}
