package dev.closewatch.reconnect;

/**
 * What a matching {@link CloseRule} does.
 */
public enum RuleAction {

	/** Give up: the upstream stays down until resumed through the API. */
	STOP,

	/** Reconnect on the normal back-off schedule. */
	RECONNECT,

	/** Reconnect after the rule's own {@code delay} (with jitter). */
	DELAY

}
