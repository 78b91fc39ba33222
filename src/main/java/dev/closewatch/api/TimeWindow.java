package dev.closewatch.api;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * The {@code since} and {@code until} of the statistics endpoints: ISO-8601 instants, by
 * default the 24 hours ending now (or ending at {@code until}), {@code until} after
 * {@code since}, at most {@link #MAX_LENGTH} apart.
 *
 * @param since the start, inclusive
 * @param until the end, exclusive
 */
record TimeWindow(Instant since, Instant until) {

	static final Duration DEFAULT_LENGTH = Duration.ofHours(24);

	static final Duration MAX_LENGTH = Duration.ofDays(90);

	static TimeWindow parse(@Nullable String since, @Nullable String until, Instant now) {
		Instant sinceValue = QueryParameters.instant("since", since);
		Instant untilValue = QueryParameters.instant("until", until);
		Instant end = (untilValue != null) ? untilValue : now;
		Instant start = (sinceValue != null) ? sinceValue : end.minus(DEFAULT_LENGTH);
		if (!end.isAfter(start)) {
			if (until != null) {
				throw new InvalidParameterException("until", until, "must be after since (" + start + ")");
			}
			throw new InvalidParameterException("since", String.valueOf(since), "must be before now (" + now + ")");
		}
		if (Duration.between(start, end).compareTo(MAX_LENGTH) > 0) {
			throw new InvalidParameterException("since", String.valueOf(since),
					"must be at most " + MAX_LENGTH.toDays() + " days before until (" + end + ")");
		}
		return new TimeWindow(start, end);
	}

}
