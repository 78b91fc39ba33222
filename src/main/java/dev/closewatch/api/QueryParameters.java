package dev.closewatch.api;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import org.jspecify.annotations.Nullable;

/**
 * Parses query parameter values, rejecting a bad one with an
 * {@link InvalidParameterException}. An absent parameter stays {@code null}; a parameter
 * given without a value is rejected, since it is more likely a mistake than a wish for
 * "any".
 */
final class QueryParameters {

	private QueryParameters() {
	}

	/**
	 * A query parameter as it was sent.
	 *
	 * @param name the parameter's name, decoded where it could be
	 * @param value the value, still percent-encoded
	 */
	record Raw(String name, String value) {
	}

	static @Nullable Integer integer(String name, @Nullable String value, int min, int max) {
		if (value == null) {
			return null;
		}
		// Integer.parseInt also takes "+5" and digits of other scripts ("٥")
		if (!isAsciiInteger(value)) {
			throw new InvalidParameterException(name, value, integerRequirement(min, max));
		}
		try {
			int parsed = Integer.parseInt(value);
			if (parsed >= min && parsed <= max) {
				return parsed;
			}
		}
		catch (NumberFormatException ex) {
			throw new InvalidParameterException(name, value, integerRequirement(min, max), ex);
		}
		throw new InvalidParameterException(name, value, integerRequirement(min, max));
	}

	static @Nullable Boolean bool(String name, @Nullable String value) {
		if (value == null) {
			return null;
		}
		return switch (value) {
			case "true" -> true;
			case "false" -> false;
			default -> throw new InvalidParameterException(name, value, "must be 'true' or 'false'");
		};
	}

	// the history stores instants as 64-bit nanoseconds since 1970
	private static final Instant EARLIEST = Instant.EPOCH;

	private static final Instant LATEST = Instant.parse("2262-01-01T00:00:00Z");

	/**
	 * Parse an instant that a history store can hold: ISO-8601, from 1970 to 2262.
	 */
	static @Nullable Instant instant(String name, @Nullable String value) {
		if (value == null) {
			return null;
		}
		Instant instant;
		try {
			instant = Instant.parse(value);
		}
		catch (DateTimeParseException ex) {
			throw new InvalidParameterException(name, value, "must be an ISO-8601 instant such as 2026-11-25T10:00:00Z",
					ex);
		}
		if (instant.isBefore(EARLIEST) || !instant.isBefore(LATEST)) {
			throw new InvalidParameterException(name, value, "must be an instant from " + EARLIEST + " to " + LATEST);
		}
		return instant;
	}

	static @Nullable String text(String name, @Nullable String value) {
		if (value != null && value.isEmpty()) {
			throw new InvalidParameterException(name, value, "must not be empty");
		}
		return value;
	}

	/**
	 * The first parameter of a raw query string whose name or value is not
	 * percent-encoded UTF-8, which the servlet container refuses to decode (it then
	 * cannot say which parameter it was).
	 * @param query the query string as sent, without the {@code ?}
	 * @return the parameter, its value as sent, or {@code null} if every one decodes
	 */
	static @Nullable Raw firstUndecodable(@Nullable String query) {
		if (query == null) {
			return null;
		}
		for (String pair : query.split("&", -1)) {
			int equals = pair.indexOf('=');
			String name = (equals >= 0) ? pair.substring(0, equals) : pair;
			String value = (equals >= 0) ? pair.substring(equals + 1) : "";
			String decodedName = PercentDecoding.decode(name);
			if (decodedName == null || PercentDecoding.decode(value) == null) {
				return new Raw((decodedName != null) ? decodedName : name, value);
			}
		}
		return null;
	}

	private static boolean isAsciiInteger(String value) {
		int start = (value.startsWith("-")) ? 1 : 0;
		if (value.length() == start) {
			return false;
		}
		for (int i = start; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c < '0' || c > '9') {
				return false;
			}
		}
		return true;
	}

	private static String integerRequirement(int min, int max) {
		return "must be an integer from %d to %d".formatted(min, max);
	}

}
