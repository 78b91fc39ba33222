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
 * the offered lease and opens; the old owner's next claim no longer returns it, and it
 * closes the shard's connections once the {@link HandoverCheck} says the next owner has
 * opened them (at most a lease-ttl later). A member that is {@link #startLeaving()
 * leaving} hands every shard over that way.
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

	private final HandoverCheck handoverCheck;

	// the shards whose leases this member holds
	private BitSet owned = new BitSet();

	// shards their successor has taken and this member still connects, until it has
	// opened them: shard -> to whom, since when
	private final Map<Integer, Handover> handovers = new TreeMap<>();

	// owned and handed over: the shards whose upstreams this member connects
	private BitSet watched = new BitSet();

	private boolean leaving;

	// how long a member is live before it claims shards: members started together see
	// each other before any claims, so that the first does not take every shard only to
	// hand most of them over a few rounds later
	private final Duration joinDelay;

	// when this member's first heartbeat reached the database
	private @Nullable Long joinedAtNanos;

	private long validUntilNanos;

	private List<String> members = List.of();

	private boolean fenced;

	// one round at a time; never held while the state's monitor is wanted elsewhere
	private final Object roundMonitor = new Object();

	ShardCoordinator(String member, Leases leases, Shards shards, Duration leaseTtl, Duration renewInterval,
			LongSupplier nanoTime, Consumer<BitSet> ownership) {
		this(member, leases, shards, leaseTtl, renewInterval, nanoTime, ownership, HandoverCheck.IMMEDIATE,
				Duration.ZERO);
	}

	ShardCoordinator(String member, Leases leases, Shards shards, Duration leaseTtl, Duration renewInterval,
			LongSupplier nanoTime, Consumer<BitSet> ownership, HandoverCheck handoverCheck, Duration joinDelay) {
		this.handoverCheck = handoverCheck;
		this.joinDelay = joinDelay;
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
				boolean leaving = leaving();
				if (leaving) {
					this.leases.retire(this.member);
				}
				else {
					this.leases.heartbeat(this.member, this.leaseTtl);
				}
				if (this.joinedAtNanos == null) {
					this.joinedAtNanos = started;
				}
				boolean settling = started - this.joinedAtNanos < this.joinDelay.toNanos();
				List<String> live = this.leases.liveMembers();
				@Nullable String[] owners = Rendezvous.owners(live, this.shards.count());
				BitSet desired = (leaving || settling) ? new BitSet() : desired(owners);
				// shards that now belong to another live member: handed over, and renewed
				// until it takes them, so that it opens before this member closes
				BitSet handed = owned();
				handed.andNot(desired);
				Map<Integer, String> successors = new TreeMap<>();
				handed.stream()
					.filter((shard) -> owners[shard] != null)
					.forEach((shard) -> successors.put(shard, owners[shard]));
				this.leases.offer(this.member, successors);
				BitSet wanted = (BitSet) desired.clone();
				wanted.or(handed);
				BitSet held = this.leases.claim(this.member, wanted, this.leaseTtl);
				Map<Integer, Handover> waiting;
				synchronized (this) {
					this.members = live;
					this.validUntilNanos = started + this.leaseTtl.minus(this.renewInterval.multipliedBy(2)).toNanos();
					if (this.fenced) {
						logger.info("Cluster member '" + this.member + "' reached the database again and holds "
								+ held.cardinality() + " shard(s)");
						this.fenced = false;
					}
					// a shard its successor took stays connected here until the successor
					// has opened it
					BitSet taken = (BitSet) this.owned.clone();
					taken.andNot(held);
					taken.stream()
						.filter(successors::containsKey)
						.forEach((shard) -> this.handovers.putIfAbsent(shard,
								new Handover(successors.get(shard), started)));
					held.stream().forEach(this.handovers::remove);
					this.owned = held;
					waiting = Map.copyOf(this.handovers);
				}
				BitSet done = waiting.isEmpty() ? new BitSet() : this.handoverCheck.completed(successorsOf(waiting));
				synchronized (this) {
					this.handovers.keySet()
						.removeIf((shard) -> done.get(shard) || !waiting.containsKey(shard)
								|| started - waiting.get(shard).takenAtNanos() > this.leaseTtl.toNanos());
					publishWatched();
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
		if (watched().isEmpty() || this.nanoTime.getAsLong() - this.validUntilNanos < 0) {
			return false;
		}
		logger.warn("Cluster member '" + this.member + "' has not renewed its leases for "
				+ this.leaseTtl.minus(this.renewInterval.multipliedBy(2)).toSeconds()
				+ " s: stopping the connections of its " + watched().cardinality()
				+ " shard(s) before the leases can expire");
		this.fenced = true;
		this.owned = new BitSet();
		this.handovers.clear();
		publishWatched();
		return true;
	}

	/**
	 * Begin leaving the cluster on shutdown: from the next round this member is no longer
	 * live, wants no shard, and offers each of its shards to the member rendezvous
	 * hashing gives it among the others, renewing it until that member takes it. It
	 * closes each shard's connections once the taker has opened them (or after a
	 * lease-ttl): make-before-break, as when a member joins.
	 */
	synchronized void startLeaving() {
		this.leaving = true;
	}

	/**
	 * Whether a member that is leaving is done: it holds and watches no shard, or no
	 * other member is live to take them.
	 * @return whether it may end its leases and close what is left
	 */
	synchronized boolean handedOver() {
		return this.leaving && (watched().isEmpty() || this.members.isEmpty());
	}

	/**
	 * Leave the cluster: end the leases still held and the membership at once, so that
	 * the other members take the shards at their next round. The connections still open
	 * are left to the shutdown, which closes them with 1001 Going Away.
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

	/**
	 * Whether this member holds the lease of an upstream's shard.
	 * @param upstream the name
	 * @return whether it is its owner
	 */
	boolean owns(String upstream) {
		int shard = this.shards.shardOf(upstream);
		synchronized (this) {
			return this.owned.get(shard);
		}
	}

	/**
	 * Whether this member connects an upstream: it owns its shard, or has handed the
	 * shard over and waits for the next owner to open it.
	 * @param upstream the name
	 * @return whether it is in this member's scope
	 */
	boolean watches(String upstream) {
		int shard = this.shards.shardOf(upstream);
		synchronized (this) {
			return this.watched.get(shard);
		}
	}

	synchronized BitSet watched() {
		return (BitSet) this.watched.clone();
	}

	synchronized boolean leaving() {
		return this.leaving;
	}

	private static Map<Integer, String> successorsOf(Map<Integer, Handover> handovers) {
		Map<Integer, String> successors = new TreeMap<>();
		handovers.forEach((shard, handover) -> successors.put(shard, handover.successor()));
		return successors;
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

	private void publishWatched() {
		BitSet now = (BitSet) this.owned.clone();
		this.handovers.keySet().forEach(now::set);
		if (!now.equals(this.watched)) {
			this.watched = now;
			this.ownership.accept((BitSet) now.clone());
		}
	}

	private record Handover(String successor, long takenAtNanos) {

	}

}
