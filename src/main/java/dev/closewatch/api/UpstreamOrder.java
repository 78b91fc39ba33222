package dev.closewatch.api;

import java.util.Comparator;
import java.util.Locale;

import dev.closewatch.upstream.UpstreamStatus;
import org.jspecify.annotations.Nullable;

/**
 * The orders of {@code GET /api/v1/upstreams}: by name, or the ones needing attention
 * first (down, then flapping, then open, then stopped; by name within each).
 */
enum UpstreamOrder {

	/**
	 * By name.
	 */
	NAME,

	/**
	 * Given up first, then waiting to reconnect, connecting, closing, open and flapping,
	 * open, and stopped last.
	 */
	ATTENTION;

	static UpstreamOrder parse(@Nullable String value) {
		if (value == null) {
			return NAME;
		}
		for (UpstreamOrder order : values()) {
			if (order.name().equalsIgnoreCase(value)) {
				return order;
			}
		}
		throw new InvalidParameterException("sort", value, "must be name or attention");
	}

	/**
	 * Return the group an upstream falls in; within a group upstreams are ordered by
	 * name.
	 */
	int rank(UpstreamStatus status) {
		if (this == NAME) {
			return 0;
		}
		return switch (status.state()) {
			case GAVE_UP -> 0;
			case WAITING_TO_RECONNECT -> 1;
			case CONNECTING -> 2;
			case CLOSING -> 3;
			case OPEN -> status.recentCloses().flapping() ? 4 : 5;
			case STOPPED -> 6;
		};
	}

	Comparator<Ranked> comparator() {
		return Comparator.comparingInt(Ranked::rank).thenComparing((ranked) -> ranked.status().name());
	}

	String parameter() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * An upstream with its group in this order.
	 */
	record Ranked(int rank, UpstreamStatus status) {

		boolean after(int rank, String name) {
			return this.rank > rank || (this.rank == rank && this.status.name().compareTo(name) > 0);
		}

	}

}
