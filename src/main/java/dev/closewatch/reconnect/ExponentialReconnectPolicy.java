package dev.closewatch.reconnect;

import java.time.Duration;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Exponential back-off with uniform jitter, the shape gRPC's connection back-off uses:
 * {@code min(delay × multiplier^(retry-1), maxDelay) × (1 ± jitter)}. Jitter is applied
 * after the cap so that upstreams dropped together do not retry together.
 */
public final class ExponentialReconnectPolicy implements ReconnectPolicy {

	private final ReconnectProperties settings;

	private final RandomGenerator random;

	public ExponentialReconnectPolicy(ReconnectProperties settings, RandomGenerator random) {
		this.settings = settings;
		this.random = random;
	}

	@Override
	public Optional<Duration> delayBefore(int retry) {
		if (retry < 1) {
			throw new IllegalArgumentException("retry must be at least 1, was " + retry);
		}
		if (this.settings.maxRetries() >= 0 && retry > this.settings.maxRetries()) {
			return Optional.empty();
		}
		double base = this.settings.delay().toNanos() * Math.pow(this.settings.multiplier(), retry - 1);
		double capped = Math.min(base, this.settings.maxDelay().toNanos());
		double jitter = this.settings.jitter();
		double factor = (jitter > 0) ? 1 + this.random.nextDouble(-jitter, jitter) : 1;
		return Optional.of(Duration.ofNanos(Math.round(capped * factor)));
	}

}
