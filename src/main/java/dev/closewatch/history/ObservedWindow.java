package dev.closewatch.history;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.closewatch.history.Availability.Outage;
import dev.closewatch.history.Availability.Sessions;
import org.jspecify.annotations.Nullable;

/**
 * An availability window and the part of it that can have been observed: from
 * {@code since} to {@code until} or now, whichever comes first ({@code end}). The rest is
 * still to come, and unknown.
 *
 * @param since the start of the window
 * @param until the end of the window
 * @param end the end of the observable part, from {@code since} to {@code until}
 */
record ObservedWindow(Instant since, Instant until, Instant end) {

	static ObservedWindow of(AvailabilityQuery query, Instant now) {
		Instant end = query.until().isBefore(now) ? query.until() : now;
		return new ObservedWindow(query.since(), query.until(), end.isBefore(query.since()) ? query.since() : end);
	}

	/**
	 * Return the session open now within the observable part, {@code null} if there is
	 * none.
	 */
	@Nullable Interval liveSession(@Nullable Instant openSince) {
		if (openSince == null || !openSince.isBefore(this.end)) {
			return null;
		}
		return new Interval(openSince.isBefore(this.since) ? this.since : openSince, this.end);
	}

	/**
	 * Put the figures together.
	 * @param monitored the disjoint spans closewatch was running, within the observable
	 * part
	 * @param open how long a session was open within the observable part
	 */
	Availability availability(List<Interval> monitored, Duration open, long closes, long uncleanCloses,
			Sessions sessions, @Nullable Interval longestOutage) {
		Duration monitoredTime = Intervals.total(monitored);
		// a run's last heartbeat may precede a close it recorded just before it crashed
		Duration openTime = (open.compareTo(monitoredTime) > 0) ? monitoredTime : open;
		Double availability = monitoredTime.isZero() ? null
				: (double) openTime.toNanos() / (double) monitoredTime.toNanos();
		return new Availability(monitoredTime, Duration.between(this.since, this.until).minus(monitoredTime), openTime,
				availability, closes, uncleanCloses, sessions, Outage.of(longestOutage));
	}

}
