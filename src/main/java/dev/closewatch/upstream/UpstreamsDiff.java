package dev.closewatch.upstream;

import java.util.List;

/**
 * What applying a new set of upstreams did, each list in name order.
 *
 * @param added the upstreams that were not monitored and now are
 * @param removed the upstreams no longer monitored (their history is kept)
 * @param changed the upstreams reconnected with new settings
 * @param relabelled the upstreams whose labels alone changed: their connections were left
 * alone
 * @param unchanged the count of upstreams left exactly as they were
 */
public record UpstreamsDiff(List<String> added, List<String> removed, List<String> changed, List<String> relabelled,
		int unchanged) {

	public UpstreamsDiff {
		added = List.copyOf(added);
		removed = List.copyOf(removed);
		changed = List.copyOf(changed);
		relabelled = List.copyOf(relabelled);
	}

	/**
	 * Return whether anything changed.
	 * @return whether it did
	 */
	public boolean isEmpty() {
		return this.added.isEmpty() && this.removed.isEmpty() && this.changed.isEmpty() && this.relabelled.isEmpty();
	}

}
