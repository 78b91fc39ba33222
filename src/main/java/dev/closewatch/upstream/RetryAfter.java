package dev.closewatch.upstream;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import org.jspecify.annotations.Nullable;

/**
 * Parses an HTTP {@code Retry-After} value (RFC 9110 §10.2.3): delay-seconds or an
 * HTTP-date.
 */
final class RetryAfter {

	// a server cannot hold an upstream down for longer than a day with one header
	private static final Duration LONGEST = Duration.ofDays(1);

	private RetryAfter() {
	}

	static @Nullable Duration parse(@Nullable String value, Instant now) {
		if (value == null || value.isBlank()) {
			return null;
		}
		String trimmed = value.trim();
		if (isDigits(trimmed)) {
			// delay-seconds is 1*DIGIT, of any length: more digits than a long holds is
			// still "a long time", not an unparseable value
			String digits = trimmed.replaceFirst("^0+(?=.)", "");
			return (digits.length() > 18) ? LONGEST : min(Duration.ofSeconds(Long.parseLong(digits)));
		}
		try {
			Instant at = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
			Duration delay = Duration.between(now, at);
			return delay.isNegative() ? Duration.ZERO : min(delay);
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

	private static boolean isDigits(String value) {
		if (value.isEmpty()) {
			return false;
		}
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c < '0' || c > '9') {
				return false;
			}
		}
		return true;
	}

	private static Duration min(Duration delay) {
		return (delay.compareTo(LONGEST) > 0) ? LONGEST : delay;
	}

}
