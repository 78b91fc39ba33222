package dev.closewatch.cluster;

import java.util.BitSet;
import java.util.Map;

/**
 * Tells a member that has handed shards over which of them it may close: those whose next
 * owner has opened their upstreams.
 */
@FunctionalInterface
interface HandoverCheck {

	/**
	 * Close at once, without waiting for the next owner.
	 */
	HandoverCheck IMMEDIATE = (successors) -> {
		BitSet all = new BitSet();
		successors.keySet().forEach(all::set);
		return all;
	};

	/**
	 * Of the shards handed over, those this member may close now.
	 * @param successors each shard handed over and the member that took it
	 * @return the shards whose handover is complete
	 */
	BitSet completed(Map<Integer, String> successors);

}
