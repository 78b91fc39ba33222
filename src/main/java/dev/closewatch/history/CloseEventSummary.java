package dev.closewatch.history;

import java.util.List;

/**
 * The closes in a window: how many, how many unclean, and the largest groups, most closes
 * first (ties in order of their keys).
 *
 * @param closes every close in the window
 * @param uncleanCloses those with {@code wasClean} false
 * @param groups at most the asked number of groups
 */
public record CloseEventSummary(long closes, long uncleanCloses, List<Group> groups) {

	/**
	 * The key of the closes that have no {@code error}.
	 */
	public static final String NO_ERROR = "none";

	public CloseEventSummary {
		groups = List.copyOf(groups);
	}

	/**
	 * The closes sharing one key.
	 *
	 * @param key the upstream, the code (as text) or the error
	 * @param count how many closes
	 * @param unclean how many of them with {@code wasClean} false
	 */
	public record Group(String key, long count, long unclean) {

	}

}
