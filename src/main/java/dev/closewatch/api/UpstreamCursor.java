package dev.closewatch.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The {@code next} cursor of {@code GET /api/v1/upstreams}: the order and filter it was
 * made for, and the group and name of the last upstream of the page, after which the next
 * page begins. Opaque to clients.
 *
 * @param order the order
 * @param filter the filter's fingerprint
 * @param rank the last upstream's group in the order
 * @param name the last upstream's name
 */
record UpstreamCursor(UpstreamOrder order, String filter, int rank, String name) {

	static final String PARAMETER = "cursor";

	private static final String VERSION = "u1";

	String encode() {
		String text = String.join(":", VERSION, this.order.parameter(), this.filter, Integer.toString(this.rank),
				this.name);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Decode a cursor, which must have been made for this order and filter.
	 */
	static UpstreamCursor decode(String cursor, UpstreamOrder order, UpstreamFilter filter) {
		String[] parts;
		try {
			parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":", 5);
		}
		catch (IllegalArgumentException ex) {
			throw invalid(cursor, "must be a 'next' value of an earlier page");
		}
		if (parts.length != 5 || !VERSION.equals(parts[0]) || !isRank(parts[3]) || parts[4].isEmpty()) {
			throw invalid(cursor, "must be a 'next' value of an earlier page");
		}
		if (!order.parameter().equals(parts[1]) || !filter.fingerprint().equals(parts[2])) {
			throw invalid(cursor, "was made for other filters or another sort: "
					+ "ask again with the parameters of the page that gave it");
		}
		return new UpstreamCursor(order, parts[2], Integer.parseInt(parts[3]), parts[4]);
	}

	private static boolean isRank(String text) {
		return text.length() == 1 && Character.isDigit(text.charAt(0));
	}

	private static InvalidParameterException invalid(String cursor, String requirement) {
		return new InvalidParameterException(PARAMETER, cursor, requirement);
	}

}
