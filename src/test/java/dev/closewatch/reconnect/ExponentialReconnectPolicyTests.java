package dev.closewatch.reconnect;

import java.time.Duration;
import java.util.Random;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The default back-off, checked against gRPC's connection back-off numbers.
 */
class ExponentialReconnectPolicyTests {

	private static final ReconnectProperties DEFAULTS = new ReconnectProperties(Duration.ofSeconds(1), 1.6,
			Duration.ofSeconds(120), 0.2, -1, Duration.ofSeconds(30));

	@ParameterizedTest
	@CsvSource({ "1, 1000", "2, 1600", "3, 2560", "4, 4096", "5, 6554", "10, 68719", "11, 109951", "12, 120000",
			"100, 120000" })
	void growsByTheMultiplierUpToTheMaximumWithoutJitter(int retry, long expectedMillis) {
		ReconnectPolicy policy = new ExponentialReconnectPolicy(withJitter(0), RandomGenerator.getDefault());

		assertThat(policy.delayBefore(retry)).hasValueSatisfying((delay) -> assertThat(delay.toMillis())
			.isCloseTo(expectedMillis, org.assertj.core.data.Offset.offset(1L)));
	}

	@Test
	void staysWithinJitterBoundsAndUsesTheWholeRange() {
		ReconnectPolicy policy = new ExponentialReconnectPolicy(DEFAULTS, new Random(42));
		long min = Long.MAX_VALUE;
		long max = Long.MIN_VALUE;

		for (int i = 0; i < 10_000; i++) {
			long millis = policy.delayBefore(1).orElseThrow().toMillis();
			min = Math.min(min, millis);
			max = Math.max(max, millis);
		}

		assertThat(min).isBetween(800L, 820L);
		assertThat(max).isBetween(1180L, 1200L);
	}

	@Test
	void appliesJitterAfterTheCap() {
		ReconnectPolicy policy = new ExponentialReconnectPolicy(DEFAULTS, new Random(7));
		long max = 0;

		for (int i = 0; i < 10_000; i++) {
			max = Math.max(max, policy.delayBefore(50).orElseThrow().toMillis());
		}

		assertThat(max).isBetween(140_000L, 144_000L);
	}

	@Test
	void givesUpAfterMaxRetries() {
		ReconnectProperties settings = new ReconnectProperties(Duration.ofSeconds(1), 2, Duration.ofSeconds(60), 0, 3,
				Duration.ofSeconds(30));
		ReconnectPolicy policy = new ExponentialReconnectPolicy(settings, RandomGenerator.getDefault());

		assertThat(policy.delayBefore(3)).contains(Duration.ofSeconds(4));
		assertThat(policy.delayBefore(4)).isEmpty();
	}

	@Test
	void neverRetriesWithZeroMaxRetries() {
		ReconnectProperties settings = new ReconnectProperties(Duration.ofSeconds(1), 2, Duration.ofSeconds(60), 0, 0,
				Duration.ofSeconds(30));

		assertThat(new ExponentialReconnectPolicy(settings, RandomGenerator.getDefault()).delayBefore(1)).isEmpty();
	}

	@Test
	void rejectsRetryNumbersBelowOne() {
		ReconnectPolicy policy = new ExponentialReconnectPolicy(DEFAULTS, RandomGenerator.getDefault());

		assertThatIllegalArgumentException().isThrownBy(() -> policy.delayBefore(0));
	}

	@Test
	void mergesOverridesKeyByKey() {
		ReconnectOverrides overrides = new ReconnectOverrides(null, null, Duration.ofSeconds(10), null, 5, null);

		ReconnectProperties merged = DEFAULTS.withOverrides(overrides, "closewatch.upstreams.prices.reconnect");

		assertThat(merged).isEqualTo(new ReconnectProperties(Duration.ofSeconds(1), 1.6, Duration.ofSeconds(10), 0.2, 5,
				Duration.ofSeconds(30)));
	}

	@Test
	void namesTheOverriddenPropertyWhenAMergeIsInvalid() {
		ReconnectOverrides overrides = new ReconnectOverrides(null, null, Duration.ofMillis(10), null, null, null);

		assertThatIllegalArgumentException()
			.isThrownBy(() -> DEFAULTS.withOverrides(overrides, "closewatch.upstreams.prices.reconnect"))
			.withMessageContaining("closewatch.upstreams.prices.reconnect.max-delay");
	}

	private static ReconnectProperties withJitter(double jitter) {
		return new ReconnectProperties(DEFAULTS.delay(), DEFAULTS.multiplier(), DEFAULTS.maxDelay(), jitter,
				DEFAULTS.maxRetries(), DEFAULTS.resetAfter());
	}

}
