package dev.closewatch.reconnect;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

import dev.closewatch.closeevent.CloseCode;
import dev.closewatch.closeevent.CloseEvent;
import dev.closewatch.closeevent.Phase;
import org.jspecify.annotations.Nullable;

/**
 * The reconnect policy of one upstream: its ordered close rules first, then the built-in
 * defaults (1012 Service Restart reconnects soon, 1013 Try Again Later backs off at least
 * four times the base delay), then the back-off schedule and {@code max-retries}. A
 * {@code Retry-After} sent with a 429 or 503 upgrade response is honoured as a minimum.
 */
public final class RuleBasedReconnectPolicy implements ReconnectPolicy {

	private final ReconnectProperties settings;

	private final BackOffSchedule schedule;

	private final List<CompiledRule> rules;

	public RuleBasedReconnectPolicy(ReconnectProperties settings, RandomGenerator random) {
		this.settings = settings;
		this.schedule = new BackOffSchedule(settings, random);
		this.rules = compile(settings.rules());
	}

	@Override
	public ReconnectDecision decide(int retry, CloseEvent lastClose, @Nullable Duration retryAfter) {
		CompiledRule rule = match(lastClose);
		if (rule != null && rule.action() == RuleAction.STOP) {
			return ReconnectDecision.giveUp("rule " + rule.description() + " says stop");
		}
		if (this.settings.maxRetries() >= 0 && retry > this.settings.maxRetries()) {
			return ReconnectDecision.giveUp("max-retries (" + this.settings.maxRetries() + ") reached");
		}
		Duration delay;
		String reason;
		boolean opened = lastClose.phase() != Phase.HANDSHAKE;
		if (rule != null && rule.action() == RuleAction.DELAY && rule.delay() != null) {
			delay = this.schedule.jittered(rule.delay());
			reason = "rule " + rule.description();
		}
		else if (rule == null && opened && lastClose.code() == CloseCode.SERVICE_RESTART.code()) {
			delay = this.schedule.jittered(this.settings.delay());
			reason = "1012 Service Restart: reconnect soon";
		}
		else {
			var scheduled = this.schedule.delayBefore(retry);
			if (scheduled.isEmpty()) {
				return ReconnectDecision.giveUp("strategy none");
			}
			delay = scheduled.get();
			reason = this.settings.strategy().name().toLowerCase(java.util.Locale.ROOT) + " back-off, retry " + retry;
			if (rule == null && opened && lastClose.code() == CloseCode.TRY_AGAIN_LATER.code()) {
				Duration floor = this.schedule.jittered(this.settings.delay().multipliedBy(4));
				if (floor.compareTo(delay) > 0) {
					delay = floor;
					reason = "1013 Try Again Later: at least 4 × delay";
				}
			}
		}
		Integer status = lastClose.handshakeStatus();
		if (retryAfter != null && status != null && (status == 429 || status == 503)
				&& retryAfter.compareTo(delay) > 0) {
			delay = this.schedule.atLeast(retryAfter);
			reason = "Retry-After on HTTP " + status;
		}
		return ReconnectDecision.after(delay, reason);
	}

	@Override
	public boolean resets(CloseEvent lastClose) {
		return lastClose.openedAt() != null && lastClose.duration().compareTo(this.settings.resetAfter()) >= 0;
	}

	private @Nullable CompiledRule match(CloseEvent close) {
		for (CompiledRule rule : this.rules) {
			if (rule.matches(close)) {
				return rule;
			}
		}
		return null;
	}

	static List<CompiledRule> compile(List<CloseRule> rules) {
		List<CompiledRule> compiled = new ArrayList<>();
		for (int i = 0; i < rules.size(); i++) {
			compiled.add(CompiledRule.of(rules.get(i), "rules[" + i + "]"));
		}
		return List.copyOf(compiled);
	}

	/**
	 * A close rule with its ranges parsed.
	 */
	record CompiledRule(String description, CodeRanges codes, CodeRanges statuses, RuleAction action,
			@Nullable Duration delay) {

		static CompiledRule of(CloseRule rule, String property) {
			CodeRanges codes = CodeRanges.parse(rule.codes(), 0, 65535, property + ".codes");
			CodeRanges statuses = CodeRanges.parse(rule.handshakeStatus(), 100, 599, property + ".handshake-status");
			if (codes.isEmpty() && statuses.isEmpty()) {
				throw new IllegalArgumentException(property + " must list codes or handshake-status");
			}
			if (rule.action() == RuleAction.DELAY
					&& (rule.delay() == null || rule.delay().isNegative() || rule.delay().isZero())) {
				throw new IllegalArgumentException(property + ".delay must be positive when the action is delay");
			}
			String description = property + " " + rule.codes() + rule.handshakeStatus() + " -> "
					+ rule.action().name().toLowerCase(java.util.Locale.ROOT);
			return new CompiledRule(description, codes, statuses, rule.action(), rule.delay());
		}

		boolean matches(CloseEvent close) {
			boolean code = this.codes.isEmpty() || this.codes.contains(close.code());
			Integer status = close.handshakeStatus();
			boolean handshake = this.statuses.isEmpty() || (status != null && this.statuses.contains(status));
			return code && handshake;
		}

	}

}
