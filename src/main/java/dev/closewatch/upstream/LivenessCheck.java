package dev.closewatch.upstream;

/**
 * The outcome of checking one open connection during the liveness sweep.
 */
enum LivenessCheck {

	/** Nothing to do. */
	NONE,

	/** The ping interval has passed since the last ping. */
	PING_DUE,

	/** The last ping has had no pong within the pong timeout: the link is dead. */
	PONG_OVERDUE,

	/** The upstream has sent no message for longer than it may. */
	STALE

}
