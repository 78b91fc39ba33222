package dev.closewatch.history;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * How available one upstream was in a window. Time when no closewatch process was running
 * (between runs, or still to come) is {@code unknown}, never downtime.
 *
 * @param monitored how long closewatch was running in the window
 * @param unknown the rest of the window
 * @param open how long the upstream had an open session in the window, at most
 * {@code monitored}
 * @param availability {@code open} divided by {@code monitored}, {@code null} when
 * {@code monitored} is zero
 * @param closes the close events closed in the window, failed handshakes included
 * @param uncleanCloses those of them with {@code wasClean} false
 * @param sessions the sessions (attempts that opened) closed in the window
 * @param longestOutage the longest monitored time without an open session in the window,
 * {@code null} if there was none
 */
public record Availability(Duration monitored, Duration unknown, Duration open, @Nullable Double availability,
		long closes, long uncleanCloses, Sessions sessions, @Nullable Outage longestOutage) {

	/**
	 * The sessions closed in a window.
	 *
	 * @param count how many
	 * @param mean their mean duration, {@code null} without sessions
	 * @param median their median duration, {@code null} without sessions
	 */
	public record Sessions(long count, @Nullable Duration mean, @Nullable Duration median) {

		static Sessions of(long count, long totalNanos, long medianNanos) {
			if (count == 0) {
				return new Sessions(0, null, null);
			}
			return new Sessions(count, Duration.ofNanos(totalNanos / count), Duration.ofNanos(medianNanos));
		}

	}

	/**
	 * A span of monitored time without an open session.
	 *
	 * @param start when it began (or the window or monitoring did)
	 * @param end when it ended (or the window or monitoring did)
	 * @param duration how long it lasted
	 */
	public record Outage(Instant start, Instant end, Duration duration) {

		static @Nullable Outage of(@Nullable Interval interval) {
			return (interval != null) ? new Outage(interval.start(), interval.end(), interval.length()) : null;
		}

	}

}
