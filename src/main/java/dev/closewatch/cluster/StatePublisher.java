package dev.closewatch.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import dev.closewatch.upstream.UpstreamStatus;
import dev.closewatch.upstream.Upstreams;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.dao.DataAccessException;

/**
 * Publishes the state of the upstreams whose leases this replica holds to PostgreSQL, run
 * every {@code closewatch.cluster.publish-interval}: only the upstreams whose status
 * changed since the last run, in one statement, so that the write rate is bounded by the
 * interval and not by how often upstreams close. A status published while this replica
 * owned an upstream before is published again when it owns it again; the state of an
 * upstream that is no longer defined is removed.
 */
final class StatePublisher implements Runnable {

	private static final Log logger = LogFactory.getLog(StatePublisher.class);

	private final ShardCoordinator coordinator;

	private final Supplier<Upstreams> upstreams;

	private final UpstreamStateTable table;

	private final JsonMapper json;

	// upstream -> the status this replica last published for it, while it owns it (a
	// record: compared before anything is serialised, so that an unchanged upstream costs
	// an equals, not a JSON document, every interval)
	private final Map<String, UpstreamStatus> published = new HashMap<>();

	private boolean failing;

	StatePublisher(ShardCoordinator coordinator, Supplier<Upstreams> upstreams, UpstreamStateTable table,
			JsonMapper json) {
		this.coordinator = coordinator;
		this.upstreams = upstreams;
		this.table = table;
		this.json = json;
	}

	@Override
	public synchronized void run() {
		try {
			publish();
			if (this.failing) {
				logger.info("Publishing the upstreams' states to the database again");
				this.failing = false;
			}
		}
		catch (DataAccessException ex) {
			if (!this.failing) {
				logger.warn("Could not publish the upstreams' states to the database (the other replicas' API shows "
						+ "them as they were; retried every publish-interval): " + ex.getMessage());
				this.failing = true;
			}
		}
	}

	private void publish() {
		List<UpstreamStateTable.Row> changed = new ArrayList<>();
		Map<String, UpstreamStatus> now = new HashMap<>();
		Set<String> here = new HashSet<>();
		for (UpstreamStatus status : this.upstreams.get().statuses()) {
			here.add(status.name());
			if (!this.coordinator.owns(status.name())) {
				continue;
			}
			now.put(status.name(), status);
			if (!status.equals(this.published.get(status.name()))) {
				changed.add(new UpstreamStateTable.Row(status.name(), "", status.state().name(), status.attempt(),
						this.json.writeValueAsString(status)));
			}
		}
		// published before, not connected here now, and still this replica's by its
		// lease:
		// no longer defined
		List<String> removed = new ArrayList<>();
		this.published.keySet().forEach((name) -> {
			if (!here.contains(name) && this.coordinator.owns(name)) {
				removed.add(name);
			}
		});
		this.table.publish(this.coordinator.member(), changed);
		this.table.remove(this.coordinator.member(), removed);
		this.published.clear();
		this.published.putAll(now);
	}

}
