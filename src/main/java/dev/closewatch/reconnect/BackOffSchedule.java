package dev.closewatch.reconnect;

import java.time.Duration;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The delay before each retry under a {@link ReconnectStrategy}. Exponential back-off has
 * the shape of gRPC's connection back-off: {@code min(delay × multiplier^(retry-1),
 * maxDelay) × (1 ± jitter)}. Jitter is applied after the cap so that upstreams dropped
 * together do not retry together.
 */
final class BackOffSchedule {

	private final ReconnectProperties settings;

	private final RandomGenerator random;

	BackOffSchedule(ReconnectProperties settings, RandomGenerator random) {
		this.settings = settings;
		this.random = random;
	}

	/**
	 * Return the delay before a retry.
	 * @param retry the retry number, at least 1
	 * @return the delay, or empty when the strategy never reconnects
	 */
	Optional<Duration> delayBefore(int retry) {
		if (retry < 1) {
			throw new IllegalArgumentException("retry must be at least 1, was " + retry);
		}
		return switch (this.settings.strategy()) {
			case NONE -> Optional.empty();
			case FIXED -> Optional.of(jittered(this.settings.delay()));
			case EXPONENTIAL -> {
				double base = this.settings.delay().toNanos() * Math.pow(this.settings.multiplier(), retry - 1);
				double capped = Math.min(base, this.settings.maxDelay().toNanos());
				yield Optional.of(jittered(Duration.ofNanos(Math.round(capped))));
			}
		};
	}

	/**
	 * Apply the configured jitter.
	 * @param delay the delay
	 * @return the delay scaled by a uniform random factor within {@code 1 ± jitter}
	 */
	Duration jittered(Duration delay) {
		double jitter = this.settings.jitter();
		double factor = (jitter > 0) ? 1 + this.random.nextDouble(-jitter, jitter) : 1;
		return Duration.ofNanos(Math.round(delay.toNanos() * factor));
	}

	/**
	 * Stretch a server-given minimum by up to {@code jitter}, never below it.
	 * @param minimum the minimum delay
	 * @return the delay
	 */
	Duration atLeast(Duration minimum) {
		double jitter = this.settings.jitter();
		double factor = (jitter > 0) ? 1 + this.random.nextDouble(0, jitter) : 1;
		return Duration.ofNanos(Math.round(minimum.toNanos() * factor));
	}

}
