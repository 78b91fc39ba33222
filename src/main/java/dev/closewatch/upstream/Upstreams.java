package dev.closewatch.upstream;

import java.util.List;
import java.util.Optional;

/**
 * Read access to the monitored upstreams, for the API, health and metrics.
 */
public interface Upstreams {

	/**
	 * Return the configured upstream names in a stable order.
	 * @return the names
	 */
	List<String> names();

	/**
	 * Return a snapshot of every upstream, ordered by name.
	 * @return the snapshots
	 */
	List<UpstreamStatus> statuses();

	/**
	 * Return a snapshot of one upstream.
	 * @param name the configured name
	 * @return the snapshot, or empty for an unknown name
	 */
	Optional<UpstreamStatus> status(String name);

}
