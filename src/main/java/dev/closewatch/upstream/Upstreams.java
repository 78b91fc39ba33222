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
	 * Return whether an upstream of this name is configured.
	 * @param name the name
	 * @return whether it is configured
	 */
	default boolean contains(String name) {
		return names().contains(name);
	}

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

	/**
	 * Connect an upstream now, resetting its attempt count: resumes one that gave up and
	 * cuts short the wait of one that is waiting to reconnect.
	 * @param name the configured name
	 * @return the upstream's status after the request, or empty for an unknown name
	 */
	Optional<UpstreamStatus> reconnect(String name);

}
