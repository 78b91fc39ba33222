package dev.closewatch.history;

import java.time.Instant;
import java.util.Objects;

/**
 * What {@link CloseEventStatistics#summary} is asked about.
 *
 * @param since the start of the window, inclusive ({@code closedAt >= since})
 * @param until the end of the window, exclusive
 * @param by what the closes are grouped by
 * @param limit the most groups to return, positive
 */
public record SummaryQuery(Instant since, Instant until, Grouping by, int limit) {

	public SummaryQuery {
		Objects.requireNonNull(by, "by must not be null");
		if (limit <= 0) {
			throw new IllegalArgumentException("limit must be positive, was " + limit);
		}
	}

	/**
	 * What closes are grouped by.
	 */
	public enum Grouping {

		/**
		 * The upstream's name.
		 */
		UPSTREAM,

		/**
		 * The browser-view close code.
		 */
		CODE,

		/**
		 * The error classification; closes without one are grouped under
		 * {@value CloseEventSummary#NO_ERROR}.
		 */
		ERROR

	}

}
