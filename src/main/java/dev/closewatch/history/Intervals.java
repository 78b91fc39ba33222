package dev.closewatch.history;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Unions and totals of {@link Interval}s.
 */
final class Intervals {

	private Intervals() {
	}

	/**
	 * Return the union of the intervals as disjoint intervals in time order, leaving out
	 * empty ones.
	 */
	static List<Interval> union(List<Interval> intervals) {
		List<Interval> sorted = new ArrayList<>(intervals);
		sorted.sort(Comparator.comparing(Interval::start));
		List<Interval> union = new ArrayList<>();
		Interval current = null;
		for (Interval interval : sorted) {
			if (interval.length().isZero()) {
				continue;
			}
			if (current == null || interval.start().isAfter(current.end())) {
				if (current != null) {
					union.add(current);
				}
				current = interval;
			}
			else if (interval.end().isAfter(current.end())) {
				current = new Interval(current.start(), interval.end());
			}
		}
		if (current != null) {
			union.add(current);
		}
		return union;
	}

	static Duration total(List<Interval> intervals) {
		Duration total = Duration.ZERO;
		for (Interval interval : intervals) {
			total = total.plus(interval.length());
		}
		return total;
	}

}
