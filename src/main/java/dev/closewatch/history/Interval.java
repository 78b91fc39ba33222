package dev.closewatch.history;

import java.time.Duration;
import java.time.Instant;

/**
 * A span of time, {@code start} inclusive and {@code end} exclusive.
 *
 * @param start the first instant
 * @param end the instant after the last
 */
record Interval(Instant start, Instant end) {

	Duration length() {
		return end.isAfter(start) ? Duration.between(start, end) : Duration.ZERO;
	}

	Interval clip(Instant from, Instant to) {
		Instant clippedStart = start.isBefore(from) ? from : start;
		Instant clippedEnd = end.isAfter(to) ? to : end;
		return new Interval(clippedStart, clippedEnd.isBefore(clippedStart) ? clippedStart : clippedEnd);
	}

}
