package dev.closewatch.reconnect;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;

import dev.closewatch.closeevent.CloseEvent;
import dev.closewatch.closeevent.Initiator;
import dev.closewatch.closeevent.Phase;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The reconnect decision for each kind of close, from a table. Jitter is off unless a
 * test says otherwise, so every delay is exact.
 */
class RuleBasedReconnectPolicyTests {

	private static final List<CloseRule> OPERATOR_RULES = List.of(
			new CloseRule(List.of("1008", "1003", "4401", "4403"), null, RuleAction.STOP, null),
			new CloseRule(List.of("4400-4499"), null, RuleAction.DELAY, Duration.ofSeconds(60)),
			new CloseRule(null, List.of("401", "403", "404"), RuleAction.STOP, null),
			new CloseRule(null, List.of("500-599"), RuleAction.DELAY, Duration.ofSeconds(15)));

	@ParameterizedTest(name = "{0} on retry {1} -> {2}")
	@CsvSource(nullValues = "give-up", value = {
			// code, handshake status, retry, expected delay (ms) or give-up
			"1000, , 1, 1000", "1000, , 3, 2560", "1001, , 2, 1600", "1006, , 4, 4096", "1011, , 1, 1000",
			"1012, , 6, 1000", "1013, , 1, 4000", "1013, , 4, 4096", "1008, , 1, give-up", "1003, , 1, give-up",
			"4401, , 1, give-up", "4403, , 5, give-up", "4429, , 1, 60000", "4000, , 2, 1600", "1006, 401, 1, give-up",
			"1006, 403, 1, give-up", "1006, 404, 1, give-up", "1006, 500, 1, 15000", "1006, 503, 9, 15000",
			"1006, 429, 2, 1600" })
	void decidesFromTheOperatorsRulesThenTheDefaults(int code, @Nullable Integer status, int retry,
			@Nullable Long expectedMillis) {
		ReconnectPolicy policy = policy(settings(ReconnectStrategy.EXPONENTIAL, -1, OPERATOR_RULES));

		ReconnectDecision decision = policy.decide(retry, close(code, status), null);

		if (expectedMillis == null) {
			assertThat(decision.givesUp()).isTrue();
			assertThat(decision.reason()).contains("stop");
		}
		else {
			assertThat(decision.delay()).isEqualTo(Duration.ofMillis(expectedMillis));
		}
	}

	@ParameterizedTest
	@CsvSource({ "1, 2000", "2, 2000", "50, 2000" })
	void keepsTheDelayConstantWithTheFixedStrategy(int retry, long expectedMillis) {
		ReconnectProperties settings = new ReconnectProperties(Duration.ofSeconds(2), 1.6, Duration.ofSeconds(120), 0,
				-1, Duration.ofSeconds(30), ReconnectStrategy.FIXED, List.of());

		assertThat(policy(settings).decide(retry, close(1006, null), null).delay())
			.isEqualTo(Duration.ofMillis(expectedMillis));
	}

	@Test
	void neverReconnectsWithTheNoneStrategy() {
		ReconnectDecision decision = policy(settings(ReconnectStrategy.NONE, -1, List.of())).decide(1,
				close(1000, null), null);

		assertThat(decision.givesUp()).isTrue();
		assertThat(decision.reason()).contains("none");
	}

	@Test
	void givesUpAfterMaxRetriesButNotBefore() {
		ReconnectPolicy policy = policy(settings(ReconnectStrategy.EXPONENTIAL, 2, List.of()));

		assertThat(policy.decide(2, close(1006, null), null).givesUp()).isFalse();
		assertThat(policy.decide(3, close(1006, null), null).givesUp()).isTrue();
	}

	@ParameterizedTest
	@CsvSource({ "503, 30, 30000", "429, 30, 30000", "503, 0, 1000", "500, 30, 1000", "403, 30, 1000" })
	void honoursRetryAfterOnlyFor429And503(int status, long retryAfterSeconds, long expectedMillis) {
		ReconnectPolicy policy = policy(settings(ReconnectStrategy.EXPONENTIAL, -1, List.of()));

		ReconnectDecision decision = policy.decide(1, close(1006, status), Duration.ofSeconds(retryAfterSeconds));

		assertThat(decision.delay()).isEqualTo(Duration.ofMillis(expectedMillis));
	}

	@Test
	void stretchesRetryAfterOnlyUpwardsWithJitter() {
		ReconnectProperties settings = new ReconnectProperties(Duration.ofSeconds(1), 1.6, Duration.ofSeconds(120), 0.2,
				-1, Duration.ofSeconds(30));
		ReconnectPolicy policy = new RuleBasedReconnectPolicy(settings, new Random(3));

		for (int i = 0; i < 1000; i++) {
			assertThat(policy.decide(1, close(1006, 503), Duration.ofSeconds(30)).delay())
				.isBetween(Duration.ofSeconds(30), Duration.ofSeconds(36));
		}
	}

	@Test
	void letsAnOperatorRuleOverrideABuiltInDefault() {
		List<CloseRule> rules = List.of(new CloseRule(List.of("1012"), null, RuleAction.STOP, null));

		assertThat(
				policy(settings(ReconnectStrategy.EXPONENTIAL, -1, rules)).decide(1, close(1012, null), null).givesUp())
			.isTrue();
	}

	@Test
	void rejectsARuleWithoutCodesOrStatuses() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> settings(ReconnectStrategy.EXPONENTIAL, -1,
					List.of(new CloseRule(null, null, RuleAction.STOP, null))))
			.withMessageContaining("closewatch.reconnect.rules[0] must list codes or handshake-status");
	}

	@Test
	void rejectsADelayRuleWithoutDelay() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> settings(ReconnectStrategy.EXPONENTIAL, -1,
					List.of(new CloseRule(List.of("4000"), null, RuleAction.DELAY, null))))
			.withMessageContaining("closewatch.reconnect.rules[0].delay must be positive");
	}

	@Test
	void rejectsAMalformedRange() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> settings(ReconnectStrategy.EXPONENTIAL, -1,
					List.of(new CloseRule(List.of("4499-4400"), null, RuleAction.STOP, null))))
			.withMessageContaining("closewatch.reconnect.rules[0].codes: '4499-4400'");
	}

	private static ReconnectProperties settings(ReconnectStrategy strategy, int maxRetries, List<CloseRule> rules) {
		return new ReconnectProperties(Duration.ofSeconds(1), 1.6, Duration.ofSeconds(120), 0, maxRetries,
				Duration.ofSeconds(30), strategy, rules);
	}

	private static ReconnectPolicy policy(ReconnectProperties settings) {
		return new RuleBasedReconnectPolicy(settings, new Random(1));
	}

	private static CloseEvent close(int code, @Nullable Integer handshakeStatus) {
		Instant now = Instant.parse("2026-11-25T00:00:00Z");
		boolean handshake = handshakeStatus != null;
		return new CloseEvent(1, "prices", now, handshake ? null : now, now, Duration.ZERO, code, "", false, handshake,
				handshake ? Initiator.SERVER : Initiator.SERVER, handshake ? Phase.HANDSHAKE : Phase.CLOSING,
				handshakeStatus, null, null, 1, 0, null, null);
	}

}
