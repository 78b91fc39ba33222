package dev.closewatch.reconnect;

/**
 * How the delay between retries grows.
 */
public enum ReconnectStrategy {

	/** {@code delay × multiplier^(retry-1)}, capped at {@code max-delay}, with jitter. */
	EXPONENTIAL,

	/** Always {@code delay}, with jitter. */
	FIXED,

	/** Never reconnect: the first close leaves the upstream given up. */
	NONE

}
