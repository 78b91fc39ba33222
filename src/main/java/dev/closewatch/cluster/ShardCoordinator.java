package dev.closewatch.cluster;

import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;

/**
 * One member's side of the shard leases. Each {@link #renew() round}: a heartbeat, the
 * live members, the shards rendezvous hashing gives this member, the shards it holds that
 * now belong to another member offered to it (and still renewed), then one statement that
 * takes or renews its shards. What it holds goes to the ownership listener, which starts
 * and stops connections. A shard changes hands make-before-break: its next owner takes
 * the offered lease and opens; the old owner's next claim no longer returns it, and only
 * then does it close.
 * <p>
 * <b>Fencing.</b> A lease taken or renewed by a round that started at local time
 * {@code t} runs until at least {@code t + lease-ttl} by the database's clock (the
 * database stamps it later than {@code t}). The member counts its leases valid only until
 * {@code t + lease-ttl - 2 × renew-interval}, measured on the monotonic clock: should
 * rounds fail or hang, {@link #fenceIfExpired()} (run by a timer of its own) takes every
 * shard away at that moment, two renew intervals before any other member can take them
 * over: time for the last connections to close. The replicas' wall clocks play no part.
 */
final class ShardCoordinator {

	private static final Log logger = LogFactory.getLog(ShardCoordinator.class);

	private final String member;

	private final Leases leases;

	private final Shards shards;

	private final Duration leaseTtl;

	private final Duration renewInterval;

	private final LongSupplier nanoTime;

	private final Consumer<BitSet> ownership;

	private BitSet owned = new BitSet();

	private long validUntilNanos;

	private List<String> members = List.of();

	private boolean fenced;

	// one round at a time; never held while the state's monitor is wanted elsewhere
	private final Object roundMonitor = new Object();

	ShardCoordinator(String member, Leases leases, Shards shards, Duration leaseTtl, Duration renewInterval,
			LongSupplier nanoTime, Consumer<BitSet> ownership) {
		this.member = member;
		this.leases = leases;
		this.shards = shards;
		this.leaseTtl = leaseTtl;
		this.renewInterval = renewInterval;
		this.nanoTime = nanoTime;
		this.ownership = ownership;
	}

	/**
	 * One round of heartbeat, assignment and lease renewal. Rounds run one at a time; the
	 * database calls are made outside this object's monitor, so that
	 * {@link #fenceIfExpired()} is never held up by a call that hangs.
	 * @return whether the round reached the database
	 */
	boolean renew() {
		synchronized (this.roundMonitor) {
			long started = this.nanoTime.getAsLong();
			try {
				this.leases.heartbeat(this.member, this.leaseTtl);
				List<String> live = this.leases.liveMembers();
				@Nullable String[] owners = Rendezvous.owners(live, this.shards.count());
				BitSet desired = desired(owners);
				// shards that now belong to another live member: handed over, and renewed
				// until it takes them, so that it opens before this member closes
				BitSet handed = owned();
				handed.andNot(desired);
				Map<Integer, String> successors = new TreeMap<>();
				handed.stream().forEach((shard) -> successors.put(shard, owners[shard]));
				this.leases.offer(this.member, successors);
				BitSet wanted = (BitSet) desired.clone();
				wanted.or(handed);
				BitSet held = this.leases.claim(this.member, wanted, this.leaseTtl);
				synchronized (this) {
					this.members = live;
					this.validUntilNanos = started + this.leaseTtl.minus(this.renewInterval.multipliedBy(2)).toNanos();
					if (this.fenced) {
						logger.info("Cluster member '" + this.member + "' reached the database again and holds "
								+ held.cardinality() + " shard(s)");
						this.fenced = false;
					}
					publish(held);
				}
				return true;
			}
			catch (DataAccessException ex) {
				logger.warn("Cluster member '" + this.member + "' could not renew its leases: " + ex.getMessage());
				fenceIfExpired();
				return false;
			}
		}
	}

	/**
	 * Stop every connection once the leases may no longer be counted on. Safe to call at
	 * any time, from any thread.
	 * @return whether it fenced now
	 */
	synchronized boolean fenceIfExpired() {
		if (this.owned.isEmpty() || this.nanoTime.getAsLong() - this.validUntilNanos < 0) {
			return false;
		}
		logger.warn("Cluster member '" + this.member + "' has not renewed its leases for "
				+ this.leaseTtl.minus(this.renewInterval.multipliedBy(2)).toSeconds()
				+ " s: stopping the connections of its " + this.owned.cardinality()
				+ " shard(s) before the leases can expire");
		this.fenced = true;
		publish(new BitSet());
		return true;
	}

	/**
	 * Leave the cluster on shutdown: end the leases and the membership at once, so that
	 * the other members take the shards at their next round. The connections are left to
	 * the shutdown, which closes them a little later with 1001 Going Away: the next owner
	 * opens first, then this one closes.
	 */
	void leave() {
		try {
			this.leases.leave(this.member);
		}
		catch (DataAccessException ex) {
			logger.warn("Cluster member '" + this.member + "' could not leave cleanly; its leases expire in "
					+ this.leaseTtl.toSeconds() + " s: " + ex.getMessage());
		}
	}

	synchronized BitSet owned() {
		return (BitSet) this.owned.clone();
	}

	String member() {
		return this.member;
	}

	Shards shards() {
		return this.shards;
	}

	synchronized boolean fenced() {
		return this.fenced;
	}

	synchronized List<String> members() {
		return this.members;
	}

	boolean owns(String upstream) {
		int shard = this.shards.shardOf(upstream);
		synchronized (this) {
			return this.owned.get(shard);
		}
	}

	private BitSet desired(@Nullable String[] owners) {
		BitSet desired = new BitSet(owners.length);
		for (int shard = 0; shard < owners.length; shard++) {
			if (this.member.equals(owners[shard])) {
				desired.set(shard);
			}
		}
		return desired;
	}

	private void publish(BitSet now) {
		if (!now.equals(this.owned)) {
			this.owned = (BitSet) now.clone();
			this.ownership.accept((BitSet) now.clone());
		}
	}

}
