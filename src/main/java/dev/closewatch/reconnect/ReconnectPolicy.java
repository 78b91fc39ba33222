package dev.closewatch.reconnect;

import java.time.Duration;
import java.util.Optional;

/**
 * How long to wait before each retry of an upstream connection.
 */
@FunctionalInterface
public interface ReconnectPolicy {

	/**
	 * Return the delay before a retry.
	 * @param retry the retry number, 1 for the first retry after a failed or closed
	 * attempt
	 * @return the delay, or empty to give up
	 */
	Optional<Duration> delayBefore(int retry);

}
