package dev.closewatch.cluster;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import dev.closewatch.upstream.UpstreamProperties.Upstream;
import dev.closewatch.upstream.UpstreamSources;
import dev.closewatch.upstream.UpstreamState;
import dev.closewatch.upstream.UpstreamStatus;
import dev.closewatch.upstream.Upstreams;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.dao.DataAccessException;

/**
 * Every upstream of the cluster as any replica's API shows it: those this replica
 * connects from its own connections, the others from the states their owners publish (at
 * most a publish-interval old), each with the member that holds its shard's lease. An
 * upstream whose shard no member holds, or whose owner has not published it yet, is
 * {@code STOPPED}: nothing watches it at this moment. Read from PostgreSQL at most once
 * per publish-interval, however often it is asked; while PostgreSQL cannot be reached,
 * the states last read. Exists only with {@code closewatch.cluster.enabled}.
 */
public final class ClusterUpstreams {

	private static final Log logger = LogFactory.getLog(ClusterUpstreams.class);

	private final ShardCoordinator coordinator;

	private final Leases leases;

	private final UpstreamStateTable table;

	private final Supplier<Upstreams> upstreams;

	private final Supplier<UpstreamSources> sources;

	private final JsonMapper json;

	private final Clock clock;

	private final Duration refresh;

	private @Nullable Snapshot snapshot;

	// upstream -> the document last parsed and its status, so that an unchanged row is
	// not parsed again
	private final Map<String, Parsed> parsed = new HashMap<>();

	ClusterUpstreams(ShardCoordinator coordinator, Leases leases, UpstreamStateTable table,
			Supplier<Upstreams> upstreams, Supplier<UpstreamSources> sources, JsonMapper json, Clock clock,
			Duration refresh) {
		this.coordinator = coordinator;
		this.leases = leases;
		this.table = table;
		this.upstreams = upstreams;
		this.sources = sources;
		this.json = json;
		this.clock = clock;
		this.refresh = refresh;
	}

	/**
	 * Every upstream defined, ordered by name.
	 * @return each with its owner
	 */
	public List<Watched> all() {
		Snapshot published = snapshot();
		Map<String, UpstreamStatus> local = new HashMap<>();
		this.upstreams.get().statuses().forEach((status) -> local.put(status.name(), status));
		Map<String, Upstream> definitions = this.sources.get().definitions();
		List<Watched> all = new ArrayList<>(definitions.size());
		definitions.forEach((name, definition) -> all.add(watched(name, definition, local.get(name), published)));
		return all;
	}

	/**
	 * One upstream.
	 * @param name its name
	 * @return it with its owner, or empty when it is not defined
	 */
	public Optional<Watched> one(String name) {
		Upstream definition = this.sources.get().definition(name);
		if (definition == null) {
			return Optional.empty();
		}
		return Optional.of(watched(name, definition, this.upstreams.get().status(name).orElse(null), snapshot()));
	}

	private Watched watched(String name, Upstream definition, @Nullable UpstreamStatus local, Snapshot published) {
		String owner = published.owners().get(this.coordinator.shards().shardOf(name));
		UpstreamStatus row = published.statuses().get(name);
		String publisher = published.publishers().get(name);
		boolean ownerPublished = row != null && publisher.equals(owner);
		if (local != null && (this.coordinator.member().equals(owner) || !ownerPublished)) {
			// this replica's own, or one it handed over and still connects
			return new Watched(local, owner);
		}
		if (ownerPublished) {
			return new Watched(row, owner);
		}
		if (row != null) {
			// published by a member that no longer holds it: what it last saw, stopped
			return new Watched(new UpstreamStatus(name, row.url(), UpstreamState.STOPPED, null, row.disconnectedSince(),
					0, null, row.lastClose(), row.messagesReceived(), row.labels(), row.recentCloses()), owner);
		}
		return new Watched(UpstreamStatus.unwatched(name, definition), owner);
	}

	private synchronized Snapshot snapshot() {
		long now = this.clock.millis();
		if (this.snapshot != null && now - this.snapshot.readAtMillis() < this.refresh.toMillis()) {
			return this.snapshot;
		}
		try {
			this.snapshot = read(now);
		}
		catch (DataAccessException ex) {
			// cut off from PostgreSQL: the last states read, or none; this replica's own
			// upstreams are shown live all the same
			logger.debug("Could not read the cluster's upstream states", ex);
			this.snapshot = new Snapshot(now, (this.snapshot != null) ? this.snapshot.owners() : Map.of(),
					(this.snapshot != null) ? this.snapshot.statuses() : Map.of(),
					(this.snapshot != null) ? this.snapshot.publishers() : Map.of());
		}
		return this.snapshot;
	}

	private Snapshot read(long now) {
		Map<Integer, String> owners = this.leases.owners();
		Map<String, UpstreamStatus> statuses = new HashMap<>();
		Map<String, String> publishers = new HashMap<>();
		Map<String, Parsed> seen = new HashMap<>();
		for (UpstreamStateTable.Row row : this.table.all()) {
			Parsed before = this.parsed.get(row.upstream());
			Parsed parsed = (before != null && before.document().equals(row.status())) ? before
					: new Parsed(row.status(), this.json.readValue(row.status(), UpstreamStatus.class));
			seen.put(row.upstream(), parsed);
			statuses.put(row.upstream(), parsed.status());
			publishers.put(row.upstream(), row.owner());
		}
		this.parsed.clear();
		this.parsed.putAll(seen);
		return new Snapshot(now, owners, statuses, publishers);
	}

	/**
	 * An upstream and the member that watches it.
	 *
	 * @param status its status, from the member that watches it
	 * @param owner the member holding its shard's lease, {@code null} while none does
	 */
	public record Watched(UpstreamStatus status, @Nullable String owner) {

	}

	private record Snapshot(long readAtMillis, Map<Integer, String> owners, Map<String, UpstreamStatus> statuses,
			Map<String, String> publishers) {

	}

	private record Parsed(String document, UpstreamStatus status) {

	}

}
