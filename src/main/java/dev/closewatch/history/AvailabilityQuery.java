package dev.closewatch.history;

import java.time.Instant;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * What {@link CloseEventStatistics#availability} is asked about.
 *
 * @param upstream the upstream's name
 * @param since the start of the window, inclusive
 * @param until the end of the window, exclusive; after {@code since}
 * @param openSince when the upstream's current session opened, {@code null} if it is not
 * open: only the live state knows the session that has not closed yet
 */
public record AvailabilityQuery(String upstream, Instant since, Instant until, @Nullable Instant openSince) {

	public AvailabilityQuery {
		Objects.requireNonNull(upstream, "upstream must not be null");
		if (!until.isAfter(since)) {
			throw new IllegalArgumentException("until must be after since, was " + since + " to " + until);
		}
	}

}
