package dev.closewatch.upstream;

import java.time.Duration;

import dev.closewatch.closeevent.CloseObservation;

/**
 * Receives the life of one connection attempt, on Jetty's threads.
 */
interface AttemptListener {

	void opened(AttemptHandler attempt);

	void closing(AttemptHandler attempt);

	/**
	 * A pong answered closewatch's latest ping.
	 * @param attempt the attempt
	 * @param roundTrip the time from ping to pong
	 */
	void pong(AttemptHandler attempt, Duration roundTrip);

	/**
	 * The attempt ended; called exactly once per attempt.
	 * @param attempt the attempt
	 * @param observation what the transport saw
	 */
	void ended(AttemptHandler attempt, CloseObservation observation);

}
