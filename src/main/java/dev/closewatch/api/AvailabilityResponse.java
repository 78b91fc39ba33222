package dev.closewatch.api;

import java.time.Duration;
import java.time.Instant;

import dev.closewatch.history.Availability;
import dev.closewatch.history.Availability.Outage;
import dev.closewatch.history.Availability.Sessions;
import org.jspecify.annotations.Nullable;

/**
 * One upstream's availability in a window, as the API shows it.
 *
 * @param upstream the upstream's name
 * @param since the start of the window, inclusive
 * @param until the end of the window, exclusive
 * @param monitored how long closewatch was running in the window
 * @param unknown the rest of the window: closewatch was not running (or the time is still
 * to come), so the upstream's state is not known; never counted as downtime
 * @param open how long the upstream had an open session in the window, the session open
 * now included
 * @param availability {@code open} divided by {@code monitored}, from 0 to 1;
 * {@code null} when {@code monitored} is zero
 * @param closes close events closed in the window, failed handshakes included
 * @param uncleanCloses those with {@code wasClean} false
 * @param sessions the sessions closed in the window: count, mean and median duration
 * @param longestOutage the longest monitored time without an open session
 */
record AvailabilityResponse(String upstream, Instant since, Instant until, Duration monitored, Duration unknown,
		Duration open, @Nullable Double availability, long closes, long uncleanCloses, Sessions sessions,
		@Nullable Outage longestOutage) {

	static AvailabilityResponse of(String upstream, TimeWindow window, Availability availability) {
		return new AvailabilityResponse(upstream, window.since(), window.until(), availability.monitored(),
				availability.unknown(), availability.open(), availability.availability(), availability.closes(),
				availability.uncleanCloses(), availability.sessions(), availability.longestOutage());
	}

}
