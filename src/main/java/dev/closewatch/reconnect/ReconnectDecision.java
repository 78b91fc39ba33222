package dev.closewatch.reconnect;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * What to do after a close: wait {@code delay} and reconnect, or give up.
 *
 * @param delay the delay before the next attempt, {@code null} to give up
 * @param reason why, for logs: the rule or limit that decided
 */
public record ReconnectDecision(@Nullable Duration delay, String reason) {

	public static ReconnectDecision after(Duration delay, String reason) {
		return new ReconnectDecision(delay, reason);
	}

	public static ReconnectDecision giveUp(String reason) {
		return new ReconnectDecision(null, reason);
	}

	public boolean givesUp() {
		return this.delay == null;
	}

}
