package dev.closewatch.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.prometheus.metrics.model.snapshots.Labels;
import org.jspecify.annotations.Nullable;

/**
 * What the metrics know of one upstream beyond its live status: close counts by code and
 * cleanliness, attempt outcomes, the scheduled delay, the TLS certificate's expiry and,
 * with {@code closewatch.metrics.per-upstream-timers}, the four timers. One small object
 * per upstream, updated from events and read at scrape time under its own monitor; the
 * {@code upstream} label is validated once here.
 */
final class UpstreamTally {

	static final int HANDSHAKE = 0;

	static final int SESSION = 1;

	static final int DISCONNECTED = 2;

	static final int PING = 3;

	static final int TIMERS = 4;

	static final String[] TIMER_METERS = { "closewatch.upstream.handshake", "closewatch.upstream.session",
			"closewatch.upstream.disconnected", "closewatch.upstream.ping" };

	static final String[] TIMER_HELP = { "Time from starting to connect to the completed WebSocket upgrade",
			"How long WebSocket sessions stayed open, from open to close",
			"How long the upstream stayed disconnected, from a close to the next open",
			"Round trip of closewatch's keep-alive pings, from ping to pong" };

	private static final long[] NO_COUNTS = new long[TIMERS];

	private static final double[] NO_VALUES = new double[TIMERS];

	private final Labels labels;

	private final boolean secure;

	private final List<CloseCount> closes = new ArrayList<>(2);

	private long successes;

	private long failures;

	// null unless the timers are per upstream
	private final long @Nullable [] timerCounts;

	private final double @Nullable [] timerSums;

	private final WindowMax @Nullable [] timerMaxes;

	private double reconnectDelaySeconds;

	private @Nullable Instant certificateNotAfter;

	UpstreamTally(String name, boolean secure, boolean timed, long nowMillis) {
		this.labels = Labels.of("upstream", name);
		this.secure = secure;
		this.timerCounts = timed ? new long[TIMERS] : null;
		this.timerSums = timed ? new double[TIMERS] : null;
		this.timerMaxes = timed ? new WindowMax[TIMERS] : null;
		if (this.timerMaxes != null) {
			for (int i = 0; i < TIMERS; i++) {
				this.timerMaxes[i] = new WindowMax(nowMillis);
			}
		}
	}

	Labels labels() {
		return this.labels;
	}

	boolean secure() {
		return this.secure;
	}

	synchronized void closed(CloseLabels key) {
		for (CloseCount count : this.closes) {
			if (count.key == key) {
				count.value++;
				return;
			}
		}
		CloseCount count = new CloseCount(key);
		count.value = 1;
		this.closes.add(count);
	}

	synchronized void failed() {
		this.failures++;
	}

	synchronized void connected(@Nullable Instant notAfter) {
		this.successes++;
		this.reconnectDelaySeconds = 0;
		if (notAfter != null) {
			this.certificateNotAfter = notAfter;
		}
	}

	synchronized void reconnectScheduled(Duration delay) {
		this.reconnectDelaySeconds = seconds(delay);
	}

	synchronized void time(int timer, Duration duration, long nowMillis) {
		if (this.timerCounts == null || this.timerSums == null || this.timerMaxes == null) {
			return;
		}
		double seconds = seconds(duration);
		this.timerCounts[timer]++;
		this.timerSums[timer] += seconds;
		this.timerMaxes[timer].record(seconds, nowMillis);
	}

	/**
	 * Copy the current values, so that a scrape reads each upstream's monitor once.
	 * @param nowMillis the scrape time
	 * @return the values
	 */
	synchronized Reading read(long nowMillis) {
		long[] counts = NO_COUNTS;
		double[] sums = NO_VALUES;
		double[] maxes = NO_VALUES;
		if (this.timerCounts != null && this.timerSums != null && this.timerMaxes != null) {
			counts = this.timerCounts.clone();
			sums = this.timerSums.clone();
			maxes = new double[TIMERS];
			for (int i = 0; i < TIMERS; i++) {
				maxes[i] = this.timerMaxes[i].poll(nowMillis);
			}
		}
		List<CloseCount> closeCounts = new ArrayList<>(this.closes.size());
		for (CloseCount count : this.closes) {
			CloseCount copy = new CloseCount(count.key);
			copy.value = count.value;
			closeCounts.add(copy);
		}
		return new Reading(closeCounts, this.successes, this.failures, counts, sums, maxes, this.reconnectDelaySeconds,
				this.certificateNotAfter);
	}

	private static double seconds(Duration duration) {
		return duration.toNanos() / 1e9;
	}

	/**
	 * A close count by its label values.
	 */
	static final class CloseCount {

		final CloseLabels key;

		long value;

		CloseCount(CloseLabels key) {
			this.key = key;
		}

	}

	/**
	 * One upstream's values at a scrape.
	 */
	record Reading(List<CloseCount> closes, long successes, long failures, long[] timerCounts, double[] timerSums,
			double[] timerMaxes, double reconnectDelaySeconds, @Nullable Instant certificateNotAfter) {

	}

}
