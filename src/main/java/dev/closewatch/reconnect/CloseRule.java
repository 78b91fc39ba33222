package dev.closewatch.reconnect;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One entry of an upstream's ordered close rules: which closes it matches and what to do.
 * The first matching rule wins.
 *
 * @param codes close codes or ranges such as {@code 4400-4499}; matches the browser-view
 * code of the close
 * @param handshakeStatus HTTP statuses or ranges of a failed upgrade, such as {@code 401}
 * or {@code 500-599}
 * @param action what to do when the rule matches
 * @param delay the delay for {@link RuleAction#DELAY}
 */
public record CloseRule(@Nullable List<String> codes, @Nullable List<String> handshakeStatus,
		@Nullable RuleAction action, @Nullable Duration delay) {

	public CloseRule {
		codes = (codes != null) ? List.copyOf(codes) : List.of();
		handshakeStatus = (handshakeStatus != null) ? List.copyOf(handshakeStatus) : List.of();
		action = (action != null) ? action : RuleAction.RECONNECT;
	}

	@Override
	public List<String> codes() {
		return (this.codes != null) ? this.codes : List.of();
	}

	@Override
	public List<String> handshakeStatus() {
		return (this.handshakeStatus != null) ? this.handshakeStatus : List.of();
	}

	@Override
	public RuleAction action() {
		return (this.action != null) ? this.action : RuleAction.RECONNECT;
	}

}
