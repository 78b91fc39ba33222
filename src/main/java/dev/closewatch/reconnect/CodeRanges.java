package dev.closewatch.reconnect;

import java.util.ArrayList;
import java.util.List;

/**
 * A parsed list of numbers and inclusive ranges such as {@code [1008, 4400-4499]}.
 */
final class CodeRanges {

	private final int[] lower;

	private final int[] upper;

	private CodeRanges(int[] lower, int[] upper) {
		this.lower = lower;
		this.upper = upper;
	}

	/**
	 * Parse the specs.
	 * @param specs numbers or {@code low-high} ranges
	 * @param min the smallest allowed value
	 * @param max the largest allowed value
	 * @param property the property name for error messages
	 * @return the ranges
	 */
	static CodeRanges parse(List<String> specs, int min, int max, String property) {
		List<int[]> ranges = new ArrayList<>();
		for (String spec : specs) {
			String trimmed = spec.trim();
			int dash = trimmed.indexOf('-', 1);
			try {
				int low = Integer.parseInt((dash < 0) ? trimmed : trimmed.substring(0, dash).trim());
				int high = (dash < 0) ? low : Integer.parseInt(trimmed.substring(dash + 1).trim());
				if (low < min || high > max || low > high) {
					throw new IllegalArgumentException(
							property + ": '" + spec + "' is not a range within " + min + "-" + max);
				}
				ranges.add(new int[] { low, high });
			}
			catch (NumberFormatException ex) {
				throw new IllegalArgumentException(
						property + ": '" + spec + "' is neither a number nor a range like 4400-4499", ex);
			}
		}
		return new CodeRanges(ranges.stream().mapToInt((range) -> range[0]).toArray(),
				ranges.stream().mapToInt((range) -> range[1]).toArray());
	}

	boolean isEmpty() {
		return this.lower.length == 0;
	}

	boolean contains(int value) {
		for (int i = 0; i < this.lower.length; i++) {
			if (value >= this.lower[i] && value <= this.upper[i]) {
				return true;
			}
		}
		return false;
	}

}
