package dev.closewatch.reconnect;

import java.time.Duration;

import dev.closewatch.closeevent.CloseEvent;
import org.jspecify.annotations.Nullable;

/**
 * Decides what happens after each close of an upstream: a pure function of the retry
 * number and the last close.
 */
@FunctionalInterface
public interface ReconnectPolicy {

	/**
	 * Decide the next step.
	 * @param retry the retry number, 1 for the first retry since the last reset
	 * @param lastClose the close that just happened
	 * @param retryAfter the server's {@code Retry-After} on a 429 or 503 upgrade
	 * response, if it sent one
	 * @return the decision
	 */
	ReconnectDecision decide(int retry, CloseEvent lastClose, @Nullable Duration retryAfter);

	/**
	 * Whether a session was healthy long enough to start the retry count over.
	 * @param lastClose the close that ended the session
	 * @return whether to reset the retry count before deciding
	 */
	default boolean resets(CloseEvent lastClose) {
		return false;
	}

}
