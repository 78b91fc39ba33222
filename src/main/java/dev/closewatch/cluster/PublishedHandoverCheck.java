package dev.closewatch.cluster;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

import dev.closewatch.upstream.UpstreamState;
import dev.closewatch.upstream.UpstreamStatus;
import dev.closewatch.upstream.Upstreams;

/**
 * A handover is complete when the next owner has published, for each of the shard's
 * upstreams that are open here, that it has opened it, or that an attempt of its own has
 * ended (waiting to reconnect or given up after attempt 1 or later: the upstream closed
 * for it as it would have for this replica). A first attempt still to come (the startup
 * spread of added upstreams) or under way does not count. A shard none of whose upstreams
 * is open here needs no wait.
 */
final class PublishedHandoverCheck implements HandoverCheck {

	private final Shards shards;

	private final Supplier<Upstreams> upstreams;

	private final UpstreamStateTable table;

	PublishedHandoverCheck(Shards shards, Supplier<Upstreams> upstreams, UpstreamStateTable table) {
		this.shards = shards;
		this.upstreams = upstreams;
		this.table = table;
	}

	@Override
	public BitSet completed(Map<Integer, String> successors) {
		BitSet completed = new BitSet();
		successors.keySet().forEach(completed::set);
		// upstream -> the member it must be open on
		Map<String, String> awaited = new HashMap<>();
		for (UpstreamStatus status : this.upstreams.get().statuses()) {
			String successor = successors.get(this.shards.shardOf(status.name()));
			if (successor != null && status.state() == UpstreamState.OPEN) {
				awaited.put(status.name(), successor);
				completed.clear(this.shards.shardOf(status.name()));
			}
		}
		BitSet opened = new BitSet();
		BitSet notYet = new BitSet();
		for (UpstreamStateTable.Row row : this.table.states(awaited.keySet())) {
			boolean tried = row.state().equals(UpstreamState.OPEN.name())
					|| (row.attempt() > 0 && (row.state().equals(UpstreamState.WAITING_TO_RECONNECT.name())
							|| row.state().equals(UpstreamState.GAVE_UP.name())));
			if (row.owner().equals(awaited.remove(row.upstream())) && tried) {
				opened.set(this.shards.shardOf(row.upstream()));
			}
			else {
				notYet.set(this.shards.shardOf(row.upstream()));
			}
		}
		// an upstream without a row yet holds its shard back too
		awaited.keySet().forEach((name) -> notYet.set(this.shards.shardOf(name)));
		opened.andNot(notYet);
		completed.or(opened);
		return completed;
	}

}
