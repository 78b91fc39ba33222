package dev.closewatch.reconnect;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Default reconnect settings for every upstream ({@code closewatch.reconnect.*}); each
 * upstream may override any of them. The defaults are gRPC's connection back-off.
 *
 * @param delay the delay before the first retry
 * @param multiplier the factor applied to the delay after each retry
 * @param maxDelay the upper bound of the delay before jitter
 * @param jitter the uniform random spread applied to each delay, as a ± fraction
 * @param maxRetries the retries before giving up, -1 to retry forever
 * @param resetAfter an open session lasting this long resets the retry count
 * @param strategy how the delay grows between retries
 * @param rules ordered close rules; the first that matches a close decides
 */
@ConfigurationProperties("closewatch.reconnect")
public record ReconnectProperties(@DefaultValue("1s") Duration delay, @DefaultValue("1.6") double multiplier,
		@DefaultValue("120s") Duration maxDelay, @DefaultValue("0.2") double jitter, @DefaultValue("-1") int maxRetries,
		@DefaultValue("30s") Duration resetAfter, @DefaultValue("exponential") ReconnectStrategy strategy,
		@Nullable List<CloseRule> rules) {

	@ConstructorBinding
	public ReconnectProperties {
		rules = (rules != null) ? List.copyOf(rules) : List.of();
		validate("closewatch.reconnect", delay, multiplier, maxDelay, jitter, maxRetries, resetAfter, rules);
	}

	/**
	 * Exponential settings without close rules.
	 * @param delay the delay before the first retry
	 * @param multiplier the factor applied after each retry
	 * @param maxDelay the cap before jitter
	 * @param jitter the ± fraction
	 * @param maxRetries the retries before giving up, -1 for ever
	 * @param resetAfter the session length that resets the retry count
	 */
	public ReconnectProperties(Duration delay, double multiplier, Duration maxDelay, double jitter, int maxRetries,
			Duration resetAfter) {
		this(delay, multiplier, maxDelay, jitter, maxRetries, resetAfter, ReconnectStrategy.EXPONENTIAL, List.of());
	}

	@Override
	public List<CloseRule> rules() {
		return (this.rules != null) ? this.rules : List.of();
	}

	/**
	 * Return these settings with the given overrides applied key by key.
	 * @param overrides the overrides, each {@code null} component keeps the default
	 * @param prefix the property prefix of the overrides, used in error messages
	 * @return the merged settings
	 */
	public ReconnectProperties withOverrides(ReconnectOverrides overrides, String prefix) {
		Duration delay = (overrides.delay() != null) ? overrides.delay() : this.delay;
		double multiplier = (overrides.multiplier() != null) ? overrides.multiplier() : this.multiplier;
		Duration maxDelay = (overrides.maxDelay() != null) ? overrides.maxDelay() : this.maxDelay;
		double jitter = (overrides.jitter() != null) ? overrides.jitter() : this.jitter;
		int maxRetries = (overrides.maxRetries() != null) ? overrides.maxRetries() : this.maxRetries;
		Duration resetAfter = (overrides.resetAfter() != null) ? overrides.resetAfter() : this.resetAfter;
		ReconnectStrategy strategy = (overrides.strategy() != null) ? overrides.strategy() : this.strategy;
		List<CloseRule> rules = (overrides.rules() != null) ? overrides.rules() : rules();
		validate(prefix, delay, multiplier, maxDelay, jitter, maxRetries, resetAfter, rules);
		return new ReconnectProperties(delay, multiplier, maxDelay, jitter, maxRetries, resetAfter, strategy, rules);
	}

	private static void validate(String prefix, Duration delay, double multiplier, Duration maxDelay, double jitter,
			int maxRetries, Duration resetAfter, List<CloseRule> rules) {
		// the messages are built only on failure: this runs once per upstream
		require(!delay.isNegative() && !delay.isZero(), () -> prefix + ".delay must be positive, was " + delay);
		require(multiplier >= 1, () -> prefix + ".multiplier must be at least 1, was " + multiplier);
		require(maxDelay.compareTo(delay) >= 0,
				() -> prefix + ".max-delay must be at least the delay (" + delay + "), was " + maxDelay);
		require(jitter >= 0 && jitter < 1, () -> prefix + ".jitter must be within [0, 1), was " + jitter);
		require(maxRetries >= -1, () -> prefix + ".max-retries must be -1 (forever) or more, was " + maxRetries);
		require(!resetAfter.isNegative(), () -> prefix + ".reset-after must not be negative, was " + resetAfter);
		for (int i = 0; i < rules.size(); i++) {
			RuleBasedReconnectPolicy.CompiledRule.of(rules.get(i), prefix + ".rules[" + i + "]");
		}
	}

	private static void require(boolean condition, Supplier<String> message) {
		if (!condition) {
			throw new IllegalArgumentException(message.get());
		}
	}

}
