package dev.closewatch.upstream;

import dev.closewatch.closeevent.CloseObservation;

/**
 * Receives the life of one connection attempt, on Jetty's threads.
 */
interface AttemptListener {

	void opened(AttemptHandler attempt);

	void closing(AttemptHandler attempt);

	/**
	 * The attempt ended; called exactly once per attempt.
	 * @param attempt the attempt
	 * @param observation what the transport saw
	 */
	void ended(AttemptHandler attempt, CloseObservation observation);

}
