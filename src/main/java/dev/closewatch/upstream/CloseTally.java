package dev.closewatch.upstream;

import java.time.Instant;

/**
 * One upstream's closes of the last hour, counted in minute buckets, so that the API can
 * say how often it closed lately without a query per upstream. The buckets are allocated
 * at the first close: a steady upstream costs nothing. Not thread-safe: used under the
 * connection's lock.
 */
final class CloseTally {

	private static final int MINUTES = 60;

	private static final int FLAPPING_MINUTES = 10;

	private int[] minute;

	private int[] closes;

	private int[] unclean;

	void add(Instant closedAt, boolean wasClean) {
		if (this.minute == null) {
			this.minute = new int[MINUTES];
			this.closes = new int[MINUTES];
			this.unclean = new int[MINUTES];
		}
		int at = epochMinute(closedAt);
		int slot = Math.floorMod(at, MINUTES);
		if (this.minute[slot] != at) {
			this.minute[slot] = at;
			this.closes[slot] = 0;
			this.unclean[slot] = 0;
		}
		this.closes[slot]++;
		if (!wasClean) {
			this.unclean[slot]++;
		}
	}

	RecentCloses counts(Instant now) {
		if (this.minute == null) {
			return RecentCloses.NONE;
		}
		int current = epochMinute(now);
		int lastHour = 0;
		int uncleanLastHour = 0;
		int lastTenMinutes = 0;
		for (int slot = 0; slot < MINUTES; slot++) {
			int age = current - this.minute[slot];
			if (age >= 0 && age < MINUTES) {
				lastHour += this.closes[slot];
				uncleanLastHour += this.unclean[slot];
				if (age < FLAPPING_MINUTES) {
					lastTenMinutes += this.closes[slot];
				}
			}
		}
		return new RecentCloses(lastHour, uncleanLastHour, lastTenMinutes);
	}

	private static int epochMinute(Instant instant) {
		return (int) Math.floorDiv(instant.getEpochSecond(), 60);
	}

}
