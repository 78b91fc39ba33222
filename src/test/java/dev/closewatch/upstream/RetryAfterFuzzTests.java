package dev.closewatch.upstream;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Any {@code Retry-After} value a server sends: delay-seconds (RFC 9110 §10.2.3,
 * {@code 1*DIGIT}) is taken at its value up to a day, however many digits it has;
 * anything else is an HTTP-date (leniently: RFC 9110 §5.6.7 asks recipients to be robust)
 * or ignored; nothing throws.
 */
class RetryAfterFuzzTests {

	private static final Duration DAY = Duration.ofDays(1);

	@FuzzTest(maxDuration = "60s")
	void takesDelaySecondsUpToADayAndNeverThrows(FuzzedDataProvider data) {
		Instant now = Instant.ofEpochSecond(data.consumeLong(0, 4_000_000_000L));
		String value = data.consumeRemainingAsString();

		Duration delay = RetryAfter.parse(value, now);

		String trimmed = value.trim();
		if (!trimmed.isEmpty() && trimmed.chars().allMatch((c) -> c >= '0' && c <= '9')) {
			BigInteger seconds = new BigInteger(trimmed);
			Duration expected = (seconds.compareTo(BigInteger.valueOf(DAY.toSeconds())) > 0) ? DAY
					: Duration.ofSeconds(seconds.longValueExact());
			assertThat(delay).isEqualTo(expected);
		}
		else if (delay != null) {
			assertThat(delay).isBetween(Duration.ZERO, DAY);
		}
	}

}
