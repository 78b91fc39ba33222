package dev.closewatch.metrics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import dev.closewatch.closeevent.CloseEvent;
import dev.closewatch.closeevent.Phase;
import dev.closewatch.history.InMemoryCloseEventHistory;
import dev.closewatch.upstream.PingMeasured;
import dev.closewatch.upstream.ReconnectScheduled;
import dev.closewatch.upstream.UpstreamConnected;
import dev.closewatch.upstream.UpstreamState;
import dev.closewatch.upstream.UpstreamStatus;
import dev.closewatch.upstream.Upstreams;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter.MeterProvider;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.context.event.EventListener;

/**
 * Owns every closewatch meter: registers the per-upstream series when bound, so they
 * exist at zero before the first close, and updates them from upstream events. Tags are
 * bounded: the configured upstream name, the close code class and outcome words, never
 * reason, URL or exception text.
 */
class CloseEventMetrics implements MeterBinder {

	private static final String CLOSES = "closewatch.upstream.closes";

	private static final String CONNECTED = "closewatch.upstream.connected";

	private static final String CONNECT_ATTEMPTS = "closewatch.upstream.connect.attempts";

	private static final String HANDSHAKE = "closewatch.upstream.handshake";

	private static final String SESSION = "closewatch.upstream.session";

	private static final String MESSAGES = "closewatch.upstream.messages";

	private static final String EVICTIONS = "closewatch.history.evictions";

	private static final String STATE = "closewatch.upstream.state";

	private static final String RECONNECT_ATTEMPT = "closewatch.upstream.reconnect.attempt";

	private static final String RECONNECT_DELAY = "closewatch.upstream.reconnect.delay";

	private static final String DISCONNECTED = "closewatch.upstream.disconnected";

	private static final String PING = "closewatch.upstream.ping";

	private static final String CERTIFICATE_EXPIRY = "closewatch.upstream.certificate.expiry";

	private static final String UPSTREAM = "upstream";

	private static final String CODE = "code";

	private static final String CLEAN = "clean";

	private static final String OUTCOME = "outcome";

	private static final String OTHER_CODE = "other";

	private static final String SUCCESS = "success";

	private static final String FAILURE = "failure";

	private final Upstreams upstreams;

	private final InMemoryCloseEventHistory history;

	private final List<RegistryMeters> bound = new CopyOnWriteArrayList<>();

	private final Clock clock;

	// notAfter of the leaf certificate last seen per wss:// upstream
	private final Map<String, AtomicReference<Instant>> certificates = new ConcurrentHashMap<>();

	// the last scheduled reconnect delay per upstream, in seconds; 0 while connected
	private final Map<String, AtomicReference<Double>> reconnectDelays = new ConcurrentHashMap<>();

	CloseEventMetrics(Upstreams upstreams, InMemoryCloseEventHistory history) {
		this(upstreams, history, Clock.systemUTC());
	}

	CloseEventMetrics(Upstreams upstreams, InMemoryCloseEventHistory history, Clock clock) {
		this.upstreams = upstreams;
		this.history = history;
		this.clock = clock;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		if (this.bound.stream().anyMatch((meters) -> meters.registry() == registry)) {
			return;
		}
		RegistryMeters meters = RegistryMeters.of(registry);
		for (String name : this.upstreams.names()) {
			// the gauge and function counter hold the upstreams weakly; this binder holds
			// it
			Gauge.builder(CONNECTED, this.upstreams, (upstreams) -> connected(upstreams, name))
				.description("Whether the upstream's WebSocket is open (1) or not (0)")
				.tag(UPSTREAM, name)
				.register(registry);
			FunctionCounter.builder(MESSAGES, this.upstreams, (upstreams) -> messagesReceived(upstreams, name))
				.description("Data messages received from the upstream over all sessions")
				.baseUnit(BaseUnits.MESSAGES)
				.tag(UPSTREAM, name)
				.register(registry);
			for (UpstreamState state : UpstreamState.values()) {
				Gauge.builder(STATE, this.upstreams, (upstreams) -> inState(upstreams, name, state))
					.description("The upstream's connection state: 1 for the current state, 0 for the others")
					.tags(UPSTREAM, name, "state", state.name().toLowerCase(Locale.ROOT))
					.register(registry);
			}
			Gauge.builder(RECONNECT_ATTEMPT, this.upstreams, (upstreams) -> attempt(upstreams, name))
				.description("The upstream's current attempt number since the last reset")
				.tag(UPSTREAM, name)
				.register(registry);
			AtomicReference<Double> delay = this.reconnectDelays.computeIfAbsent(name,
					(key) -> new AtomicReference<>(0.0));
			Gauge.builder(RECONNECT_DELAY, delay, AtomicReference::get)
				.description("The delay before the upstream's next attempt, 0 while connected")
				.baseUnit("seconds")
				.tag(UPSTREAM, name)
				.register(registry);
			if (this.upstreams.status(name).filter((status) -> status.url().startsWith("wss:")).isPresent()) {
				AtomicReference<Instant> notAfter = this.certificates.computeIfAbsent(name,
						(key) -> new AtomicReference<>());
				Gauge.builder(CERTIFICATE_EXPIRY, notAfter, this::secondsUntil)
					.description("Seconds until the upstream's TLS leaf certificate expires (notAfter)")
					.baseUnit("seconds")
					.tag(UPSTREAM, name)
					.register(registry);
			}
			meters.connectAttempts().withTags(UPSTREAM, name, OUTCOME, SUCCESS);
			meters.connectAttempts().withTags(UPSTREAM, name, OUTCOME, FAILURE);
			meters.handshake().withTags(UPSTREAM, name);
			meters.session().withTags(UPSTREAM, name);
			meters.disconnected().withTags(UPSTREAM, name);
			meters.ping().withTags(UPSTREAM, name);
		}
		FunctionCounter.builder(EVICTIONS, this.history, InMemoryCloseEventHistory::evictions)
			.description("Close events evicted from the full history, oldest first")
			.register(registry);
		this.bound.add(meters);
	}

	@EventListener
	void onClose(CloseEvent event) {
		for (RegistryMeters meters : this.bound) {
			meters.closes()
				.withTags(UPSTREAM, event.upstream(), CODE, codeTag(event.code()), CLEAN,
						String.valueOf(event.wasClean()))
				.increment();
			if (event.phase() == Phase.HANDSHAKE) {
				meters.connectAttempts().withTags(UPSTREAM, event.upstream(), OUTCOME, FAILURE).increment();
			}
			if (event.openedAt() != null) {
				meters.session().withTags(UPSTREAM, event.upstream()).record(event.duration());
			}
		}
	}

	@EventListener
	void onConnected(UpstreamConnected event) {
		AtomicReference<Double> delay = this.reconnectDelays.get(event.upstream());
		if (delay != null) {
			delay.set(0.0);
		}
		AtomicReference<Instant> notAfter = this.certificates.get(event.upstream());
		if (notAfter != null && event.certificateNotAfter() != null) {
			notAfter.set(event.certificateNotAfter());
		}
		for (RegistryMeters meters : this.bound) {
			meters.connectAttempts().withTags(UPSTREAM, event.upstream(), OUTCOME, SUCCESS).increment();
			meters.handshake().withTags(UPSTREAM, event.upstream()).record(event.handshakeDuration());
			if (event.downtime() != null) {
				meters.disconnected().withTags(UPSTREAM, event.upstream()).record(event.downtime());
			}
		}
	}

	private double secondsUntil(AtomicReference<Instant> notAfter) {
		Instant instant = notAfter.get();
		return (instant != null) ? Duration.between(this.clock.instant(), instant).toMillis() / 1000.0 : Double.NaN;
	}

	@EventListener
	void onReconnectScheduled(ReconnectScheduled event) {
		AtomicReference<Double> delay = this.reconnectDelays.get(event.upstream());
		if (delay != null) {
			delay.set(event.delay().toNanos() / 1e9);
		}
	}

	@EventListener
	void onPing(PingMeasured event) {
		for (RegistryMeters meters : this.bound) {
			meters.ping().withTags(UPSTREAM, event.upstream()).record(event.roundTrip());
		}
	}

	// codes outside 1000-4999 are reserved, unassigned or invalid; the history keeps them
	private static String codeTag(int code) {
		return (code >= 1000 && code <= 4999) ? String.valueOf(code) : OTHER_CODE;
	}

	private static double connected(Upstreams upstreams, String name) {
		return upstreams.status(name).filter((status) -> status.state() == UpstreamState.OPEN).isPresent() ? 1 : 0;
	}

	private static double inState(Upstreams upstreams, String name, UpstreamState state) {
		return upstreams.status(name).filter((status) -> status.state() == state).isPresent() ? 1 : 0;
	}

	private static double attempt(Upstreams upstreams, String name) {
		return upstreams.status(name).map(UpstreamStatus::attempt).orElse(0);
	}

	private static double messagesReceived(Upstreams upstreams, String name) {
		return upstreams.status(name).map(UpstreamStatus::messagesReceived).orElse(0L);
	}

	/**
	 * The event-driven meters of one registry, built once and tagged per event.
	 */
	private record RegistryMeters(MeterRegistry registry, MeterProvider<Counter> closes,
			MeterProvider<Counter> connectAttempts, MeterProvider<Timer> handshake, MeterProvider<Timer> session,
			MeterProvider<Timer> disconnected, MeterProvider<Timer> ping) {

		static RegistryMeters of(MeterRegistry registry) {
			return new RegistryMeters(registry,
					Counter.builder(CLOSES)
						.description("Ended connection attempts by browser-view close code and wasClean")
						.withRegistry(registry),
					Counter.builder(CONNECT_ATTEMPTS)
						.description("Connection attempts by outcome: opened, or failed during the handshake")
						.withRegistry(registry),
					Timer.builder(HANDSHAKE)
						.description("Time from starting to connect to the completed WebSocket upgrade")
						.withRegistry(registry),
					Timer.builder(SESSION)
						.description("How long WebSocket sessions stayed open, from open to close")
						.withRegistry(registry),
					Timer.builder(DISCONNECTED)
						.description("How long the upstream stayed disconnected, from a close to the next open")
						.withRegistry(registry),
					Timer.builder(PING)
						.description("Round trip of closewatch's keep-alive pings, from ping to pong")
						.withRegistry(registry));
		}

	}

}
