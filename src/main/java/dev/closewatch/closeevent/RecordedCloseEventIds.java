package dev.closewatch.closeevent;

/**
 * The ids of close events recorded by earlier runs, so that new ids continue above them:
 * ids stay unique and increasing across restarts, whatever the clock did meanwhile.
 */
@FunctionalInterface
public interface RecordedCloseEventIds {

	/**
	 * Return the highest id recorded so far.
	 * @return that id, {@code 0} when there is none
	 */
	long highest();

}
