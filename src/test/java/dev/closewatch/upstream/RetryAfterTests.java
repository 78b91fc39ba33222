package dev.closewatch.upstream;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code Retry-After} in both forms of RFC 9110 §10.2.3.
 */
class RetryAfterTests {

	private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

	@ParameterizedTest
	@CsvSource(nullValues = "none", delimiter = '|',
			value = { "120|PT2M", "0|PT0S", " 7 |PT7S", "Wed, 25 Nov 2026 10:00:30 GMT|PT30S",
					"Wed, 25 Nov 2026 09:59:00 GMT|PT0S", "999999|PT24H", "99999999999999999999999|PT24H",
					"0000000000000000000000003421|PT57M1S", "-5|none", "+5|none", "soon|none", "|none" })
	void parsesSecondsAndHttpDates(String header, String expected) {
		Duration parsed = RetryAfter.parse(header, NOW);

		assertThat(parsed).isEqualTo((expected != null) ? Duration.parse(expected) : null);
	}

}
