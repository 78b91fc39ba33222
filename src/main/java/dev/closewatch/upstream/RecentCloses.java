package dev.closewatch.upstream;

/**
 * How often an upstream closed lately, in whole minutes: the last hour is the current
 * minute and the 59 before it.
 *
 * @param lastHour closes in the last hour
 * @param uncleanLastHour of those, the ones with {@code wasClean=false}
 * @param lastTenMinutes closes in the last ten minutes
 */
public record RecentCloses(int lastHour, int uncleanLastHour, int lastTenMinutes) {

	/**
	 * No close lately.
	 */
	public static final RecentCloses NONE = new RecentCloses(0, 0, 0);

	/**
	 * How many closes in ten minutes make an upstream flapping.
	 */
	public static final int FLAPPING_CLOSES = 3;

	/**
	 * Return whether the upstream is flapping: it closed at least
	 * {@value #FLAPPING_CLOSES} times in the last ten minutes.
	 * @return whether it is flapping
	 */
	public boolean flapping() {
		return this.lastTenMinutes >= FLAPPING_CLOSES;
	}

}
