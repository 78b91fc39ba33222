package dev.closewatch.reconnect;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Per-upstream overrides of {@link ReconnectProperties}; {@code null} keeps the default.
 *
 * @param delay the delay before the first retry
 * @param multiplier the factor applied to the delay after each retry
 * @param maxDelay the upper bound of the delay before jitter
 * @param jitter the uniform random spread applied to each delay, as a ± fraction
 * @param maxRetries the retries before giving up, -1 to retry forever
 * @param resetAfter an open session lasting this long resets the retry count
 */
public record ReconnectOverrides(@Nullable Duration delay, @Nullable Double multiplier, @Nullable Duration maxDelay,
		@Nullable Double jitter, @Nullable Integer maxRetries, @Nullable Duration resetAfter) {

	/**
	 * Overrides that change nothing.
	 * @return the empty overrides
	 */
	public static ReconnectOverrides none() {
		return new ReconnectOverrides(null, null, null, null, null, null);
	}

}
