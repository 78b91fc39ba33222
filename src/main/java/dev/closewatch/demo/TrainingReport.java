package dev.closewatch.demo;

import java.time.Duration;
import java.util.List;

/**
 * What a training run did.
 *
 * @param closes the close events recorded while it ran
 * @param requests the HTTP requests it made to closewatch
 * @param failures what went wrong: a close count short of the target, an answer with
 * another status than expected, a request that failed
 * @param duration how long it ran
 */
record TrainingReport(long closes, int requests, List<String> failures, Duration duration) {

	TrainingReport {
		failures = List.copyOf(failures);
	}

	boolean succeeded() {
		return this.failures.isEmpty();
	}

}
