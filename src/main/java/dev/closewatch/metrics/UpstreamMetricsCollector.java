package dev.closewatch.metrics;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import dev.closewatch.metrics.UpstreamTally.CloseCount;
import dev.closewatch.metrics.UpstreamTally.Reading;
import dev.closewatch.upstream.UpstreamState;
import dev.closewatch.upstream.UpstreamStatus;
import dev.closewatch.upstream.Upstreams;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot.SummaryDataPointSnapshot;

/**
 * Exports the per-upstream series straight into the Prometheus registry, in one pass over
 * the upstreams per scrape: the series, names, help texts and types that Micrometer
 * meters produced, without a meter, a meter id and a label validation per series. By
 * default 7 series per upstream (8 over {@code wss:}) plus its close counts; with
 * {@code closewatch.metrics.per-upstream-timers} 13 more: the four timers as summaries
 * and the reconnect delay (docs/operations.md, "Metrics budget").
 */
class UpstreamMetricsCollector implements MultiCollector {

	private static final MetricMetadata CLOSES = new MetricMetadata("closewatch_upstream_closes",
			"Ended connection attempts by browser-view close code and wasClean");

	private static final MetricMetadata CONNECT_ATTEMPTS = new MetricMetadata("closewatch_upstream_connect_attempts",
			"Connection attempts by outcome: opened, or failed during the handshake");

	private static final MetricMetadata CONNECTED = new MetricMetadata("closewatch_upstream_connected",
			"Whether the upstream's WebSocket is open (1) or not (0)");

	private static final MetricMetadata INFO = new MetricMetadata("closewatch_upstream_info",
			"Always 1: the upstream's labels, for joins such as "
					+ "closewatch_upstream_connected * on (upstream) group_left (team) closewatch_upstream_info");

	private static final MetricMetadata MESSAGES = new MetricMetadata("closewatch_upstream_messages",
			"Data messages received from the upstream over all sessions");

	private static final MetricMetadata STATE = new MetricMetadata("closewatch_upstream_state",
			"The upstream's current connection state, always 1: one series per upstream, its state label the state");

	private static final MetricMetadata RECONNECT_ATTEMPT = new MetricMetadata("closewatch_upstream_reconnect_attempt",
			"The upstream's current attempt number since the last reset");

	private static final MetricMetadata RECONNECT_DELAY = new MetricMetadata(
			"closewatch_upstream_reconnect_delay_seconds",
			"The delay before the upstream's next attempt, 0 while connected");

	private static final MetricMetadata CERTIFICATE_EXPIRY = new MetricMetadata(
			"closewatch_upstream_certificate_expiry_seconds",
			"Seconds until the upstream's TLS leaf certificate expires (notAfter)");

	private static final MetricMetadata[] TIMERS = new MetricMetadata[UpstreamTally.TIMERS];

	private static final MetricMetadata[] TIMER_MAXES = new MetricMetadata[UpstreamTally.TIMERS];

	private static final UpstreamState[] STATES = UpstreamState.values();

	// the states in the order of their label values
	private static final UpstreamState[] STATES_BY_LABEL = Arrays.stream(STATES)
		.sorted(Comparator.comparing((UpstreamState state) -> state.name().toLowerCase(Locale.ROOT)))
		.toArray(UpstreamState[]::new);

	private static final Labels[] STATE_LABELS = new Labels[STATES.length];

	// a state's place in STATES_BY_LABEL, by ordinal
	private static final int[] LABEL_ORDER = new int[STATES.length];

	private static final Labels SUCCESS = Labels.of("outcome", "success");

	private static final Labels FAILURE = Labels.of("outcome", "failure");

	static {
		for (int i = 0; i < UpstreamTally.TIMERS; i++) {
			String name = UpstreamTally.TIMER_METERS[i].replace('.', '_') + "_seconds";
			TIMERS[i] = new MetricMetadata(name, UpstreamTally.TIMER_HELP[i]);
			TIMER_MAXES[i] = new MetricMetadata(name + "_max", UpstreamTally.TIMER_HELP[i]);
		}
		for (UpstreamState state : STATES) {
			STATE_LABELS[state.ordinal()] = Labels.of("state", state.name().toLowerCase(Locale.ROOT));
		}
		for (int i = 0; i < STATES_BY_LABEL.length; i++) {
			LABEL_ORDER[STATES_BY_LABEL[i].ordinal()] = i;
		}
	}

	private final Upstreams upstreams;

	private final Function<UpstreamStatus, UpstreamTally> tallies;

	private final Clock clock;

	private final boolean perUpstreamTimers;

	UpstreamMetricsCollector(Upstreams upstreams, Function<UpstreamStatus, UpstreamTally> tallies, Clock clock,
			boolean perUpstreamTimers) {
		this.upstreams = upstreams;
		this.tallies = tallies;
		this.clock = clock;
		this.perUpstreamTimers = perUpstreamTimers;
	}

	@Override
	public MetricSnapshots collect() {
		// statuses come in name order: every list below is built in the order the
		// snapshots sort their points by (label names, then values), so that sorting
		// is a linear pass (MetricSnapshot's constructor sorts a copy)
		List<UpstreamStatus> statuses = this.upstreams.statuses();
		int n = statuses.size();
		long now = this.clock.millis();
		List<CounterDataPointSnapshot> closes = new ArrayList<>(n);
		List<CounterDataPointSnapshot> failures = new ArrayList<>(2 * n);
		List<CounterDataPointSnapshot> successes = new ArrayList<>(n);
		List<GaugeDataPointSnapshot> connected = new ArrayList<>(n);
		List<GaugeDataPointSnapshot> info = new ArrayList<>(n);
		List<CounterDataPointSnapshot> messages = new ArrayList<>(n);
		List<List<GaugeDataPointSnapshot>> states = lists(STATES.length, 16);
		List<GaugeDataPointSnapshot> attempt = new ArrayList<>(n);
		boolean timed = this.perUpstreamTimers;
		List<GaugeDataPointSnapshot> delay = new ArrayList<>(timed ? n : 0);
		List<GaugeDataPointSnapshot> expiry = new ArrayList<>();
		List<List<SummaryDataPointSnapshot>> timers = lists(UpstreamTally.TIMERS, timed ? n : 0);
		List<List<GaugeDataPointSnapshot>> maxes = lists(UpstreamTally.TIMERS, timed ? n : 0);
		for (UpstreamStatus status : statuses) {
			UpstreamTally tally = this.tallies.apply(status);
			Labels labels = tally.labels();
			info.add(gauge(1, status.labels().isEmpty() ? labels : labels.merge(infoLabels(status.labels()))));
			Reading reading = tally.read(now);
			for (CloseCount count : reading.closes()) {
				closes.add(counter(count.value, count.key.labels().merge(labels)));
			}
			failures.add(counter(reading.failures(), FAILURE.merge(labels)));
			successes.add(counter(reading.successes(), SUCCESS.merge(labels)));
			connected.add(gauge((status.state() == UpstreamState.OPEN) ? 1 : 0, labels));
			messages.add(counter(status.messagesReceived(), labels));
			UpstreamState state = status.state();
			states.get(LABEL_ORDER[state.ordinal()]).add(gauge(1, STATE_LABELS[state.ordinal()].merge(labels)));
			attempt.add(gauge(status.attempt(), labels));
			if (tally.secure()) {
				Instant notAfter = reading.certificateNotAfter();
				expiry.add(gauge((notAfter != null) ? (notAfter.toEpochMilli() - now) / 1000.0 : Double.NaN, labels));
			}
			if (!timed) {
				continue;
			}
			delay.add(gauge(reading.reconnectDelaySeconds(), labels));
			for (int i = 0; i < UpstreamTally.TIMERS; i++) {
				timers.get(i)
					.add(new SummaryDataPointSnapshot(reading.timerCounts()[i], reading.timerSums()[i], Quantiles.EMPTY,
							labels, Exemplars.EMPTY, 0));
				maxes.get(i).add(gauge(reading.timerMaxes()[i], labels));
			}
		}
		failures.addAll(successes);
		List<GaugeDataPointSnapshot> allStates = new ArrayList<>(n);
		states.forEach(allStates::addAll);
		MetricSnapshots.Builder snapshots = MetricSnapshots.builder()
			.metricSnapshot(new CounterSnapshot(CLOSES, closes))
			.metricSnapshot(new CounterSnapshot(CONNECT_ATTEMPTS, failures))
			.metricSnapshot(new GaugeSnapshot(CONNECTED, connected))
			.metricSnapshot(new GaugeSnapshot(INFO, info))
			.metricSnapshot(new CounterSnapshot(MESSAGES, messages))
			.metricSnapshot(new GaugeSnapshot(STATE, allStates))
			.metricSnapshot(new GaugeSnapshot(RECONNECT_ATTEMPT, attempt));
		if (!expiry.isEmpty()) {
			snapshots.metricSnapshot(new GaugeSnapshot(CERTIFICATE_EXPIRY, expiry));
		}
		if (!timed) {
			return snapshots.build();
		}
		snapshots.metricSnapshot(new GaugeSnapshot(RECONNECT_DELAY, delay));
		for (int i = 0; i < UpstreamTally.TIMERS; i++) {
			snapshots.metricSnapshot(new SummarySnapshot(TIMERS[i], timers.get(i)));
			snapshots.metricSnapshot(new GaugeSnapshot(TIMER_MAXES[i], maxes.get(i)));
		}
		return snapshots.build();
	}

	private static Labels infoLabels(Map<String, String> labels) {
		List<String> names = new ArrayList<>(labels.keySet());
		List<String> values = new ArrayList<>(names.size());
		names.forEach((name) -> values.add(labels.get(name)));
		return Labels.of(names, values);
	}

	private static <T> List<List<T>> lists(int count, int capacity) {
		List<List<T>> lists = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			lists.add(new ArrayList<>(capacity));
		}
		return lists;
	}

	private static CounterDataPointSnapshot counter(double value, Labels labels) {
		return new CounterDataPointSnapshot(value, labels, null, 0);
	}

	private static GaugeDataPointSnapshot gauge(double value, Labels labels) {
		return new GaugeDataPointSnapshot(value, labels, null);
	}

}
