package dev.closewatch.upstream;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;

import dev.closewatch.closeevent.BrowserCloseRules;
import dev.closewatch.closeevent.ClientClose;
import dev.closewatch.closeevent.CloseEvent;
import dev.closewatch.closeevent.CloseObservation;
import dev.closewatch.closeevent.CloseVerdict;
import dev.closewatch.closeevent.Failure;
import dev.closewatch.closeevent.FailureKind;
import dev.closewatch.reconnect.ReconnectDecision;
import dev.closewatch.reconnect.ReconnectPolicy;
import org.eclipse.jetty.websocket.core.client.WebSocketCoreClient;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.scheduling.TaskScheduler;

/**
 * The connection loop of one upstream: connect, record the close, wait, reconnect. It is
 * the only writer of the upstream's {@link UpstreamState}; every attempt ends in exactly
 * one {@link CloseEvent}.
 */
class UpstreamConnection implements AttemptListener {

	private static final Logger logger = LoggerFactory.getLogger(UpstreamConnection.class);

	static final ClientClose SHUTDOWN = new ClientClose(1001, "closewatch shutting down", "shutdown");

	private final UpstreamTarget target;

	private final ConnectionSettings settings;

	private final ReconnectPolicy policy;

	private final WebSocketCoreClient client;

	private final TaskScheduler scheduler;

	private final Clock clock;

	private final ApplicationEventPublisher events;

	private final CloseEventSequence sequence;

	private final HandshakeGate gate;

	private final Object lock = new Object();

	private UpstreamState state = UpstreamState.STOPPED;

	private boolean running;

	private int attempt;

	private long messagesBefore;

	private @Nullable Instant startedAt;

	private @Nullable Instant openSince;

	private @Nullable Instant disconnectedSince;

	private @Nullable Instant nextAttemptAt;

	private @Nullable CloseEvent lastClose;

	private final CloseTally closes = new CloseTally();

	private @Nullable AttemptHandler current;

	private @Nullable ScheduledFuture<?> pending;

	private @Nullable Runnable whenStopped;

	// how an open connection is closed when the loop stops
	private ClientClose stopClose = SHUTDOWN;

	private volatile Map<String, String> labels = Map.of();

	UpstreamConnection(UpstreamTarget target, ConnectionSettings settings, ReconnectPolicy policy,
			WebSocketCoreClient client, TaskScheduler scheduler, Clock clock, ApplicationEventPublisher events,
			CloseEventSequence sequence, HandshakeGate gate) {
		this.target = target;
		this.settings = settings;
		this.policy = policy;
		this.client = client;
		this.scheduler = scheduler;
		this.clock = clock;
		this.events = events;
		this.sequence = sequence;
		this.gate = gate;
	}

	String name() {
		return this.target.name();
	}

	Map<String, String> labels() {
		return this.labels;
	}

	/**
	 * Replace the labels; the connection is left as it is.
	 * @param labels the new labels
	 */
	void labels(Map<String, String> labels) {
		this.labels = Map.copyOf(labels);
	}

	ConnectionSettings.Liveness liveness() {
		return this.settings.liveness();
	}

	void start() {
		start(Duration.ZERO);
	}

	/**
	 * Start the loop.
	 * @param initialDelay how long to wait before the first attempt, to spread the
	 * connects of many upstreams
	 */
	void start(Duration initialDelay) {
		synchronized (this.lock) {
			if (this.running) {
				return;
			}
			this.running = true;
			this.attempt = 0;
			if (initialDelay.isZero() || initialDelay.isNegative()) {
				connect();
			}
			else {
				Instant at = this.clock.instant().plus(initialDelay);
				this.state = UpstreamState.WAITING_TO_RECONNECT;
				this.nextAttemptAt = at;
				this.pending = this.scheduler.schedule(this::reconnect, at);
			}
		}
	}

	/**
	 * Stop the loop: cancel a pending reconnect, close an open connection with 1001 Going
	 * Away, abort a handshake under way.
	 * @param callback run once no attempt is under way any more
	 */
	void stop(Runnable callback) {
		stop(SHUTDOWN, callback);
	}

	/**
	 * Stop the loop as {@link #stop(Runnable)} does, closing an open connection with the
	 * given close instead of 1001.
	 * @param close the close to send, recorded as the client's
	 * @param callback run once no attempt is under way any more
	 */
	void stop(ClientClose close, Runnable callback) {
		AttemptHandler attempt;
		synchronized (this.lock) {
			this.running = false;
			this.stopClose = close;
			if (this.pending != null) {
				this.pending.cancel(false);
				this.pending = null;
			}
			this.nextAttemptAt = null;
			attempt = this.current;
			if (attempt != null && !attempt.isSent()) {
				// still waiting at the handshake gate: it never touched the network
				this.current = null;
				attempt = null;
			}
			if (attempt == null) {
				this.state = UpstreamState.STOPPED;
				callback.run();
				return;
			}
			this.whenStopped = callback;
		}
		closeWithTimeout(attempt, close);
	}

	private void closeWithTimeout(AttemptHandler attempt, ClientClose close) {
		attempt.close(close);
		this.scheduler.schedule(
				() -> attempt.abort(new Failure(FailureKind.ABORTED, "close-timeout",
						"The server did not answer the Close frame within " + this.settings.closeTimeout())),
				this.clock.instant().plus(this.settings.closeTimeout()));
	}

	UpstreamStatus status() {
		synchronized (this.lock) {
			AttemptHandler attempt = this.current;
			long messages = this.messagesBefore + ((attempt != null) ? attempt.messages() : 0);
			return new UpstreamStatus(this.target.name(), this.target.maskedUrl(), this.state, this.openSince,
					this.disconnectedSince, this.attempt, this.nextAttemptAt, this.lastClose, messages, this.labels,
					this.closes.counts(this.clock.instant()));
		}
	}

	// guarded by lock
	private void connect() {
		this.attempt++;
		this.pending = null;
		this.nextAttemptAt = null;
		this.state = UpstreamState.CONNECTING;
		this.startedAt = this.clock.instant();
		AttemptHandler handler = new AttemptHandler(this.attempt, this, this.clock, this.settings.liveness());
		this.current = handler;
		this.gate.enter(() -> send(handler));
	}

	private boolean send(AttemptHandler handler) {
		synchronized (this.lock) {
			if (this.current != handler || !this.running) {
				return false;
			}
			this.startedAt = this.clock.instant();
			handler.markSent();
		}
		try {
			UpstreamUpgradeRequest request = new UpstreamUpgradeRequest(this.client, this.target, handler,
					this.settings.connectTimeout(), this.settings.tcpCloseTimeout(),
					// a single frame larger than the largest message is refused by Jetty
					// with 1009 too
					this.settings.liveness().maxMessageSize());
			handler.request(request);
			request.send(request);
		}
		catch (RuntimeException ex) {
			// the handshake failure is recorded through the handler, on another thread
			this.scheduler.schedule(() -> handler.handshakeFailed(ex), this.clock.instant());
		}
		return true;
	}

	@Override
	public void opened(AttemptHandler attempt) {
		if (attempt.releaseGate()) {
			this.gate.leave();
		}
		UpstreamConnected connected;
		boolean stopping;
		ClientClose stopClose;
		synchronized (this.lock) {
			if (attempt != this.current) {
				return;
			}
			Instant now = this.clock.instant();
			Duration downtime = (this.disconnectedSince != null) ? Duration.between(this.disconnectedSince, now) : null;
			this.state = UpstreamState.OPEN;
			this.openSince = now;
			this.disconnectedSince = null;
			stopping = !this.running;
			stopClose = this.stopClose;
			connected = new UpstreamConnected(name(), now, attempt.number(), Duration.between(this.startedAt, now),
					downtime, attempt.certificateNotAfter());
		}
		// the close that ends it is logged at INFO; UpstreamConnections says when all
		// are open
		logger.debug("Upstream '{}' open: attempt={} handshake={}ms", name(), connected.attempt(),
				connected.handshakeDuration().toMillis());
		this.events.publishEvent(connected);
		if (stopping) {
			closeWithTimeout(attempt, stopClose);
		}
		else if (this.target.onOpen() != null) {
			attempt.sendText(this.target.onOpen());
		}
	}

	@Override
	public void pong(AttemptHandler attempt, Duration roundTrip) {
		this.events.publishEvent(new PingMeasured(name(), roundTrip));
	}

	/**
	 * Ping, time out or close the open connection as the liveness settings say; called by
	 * the supervisor's one sweep over all upstreams.
	 * @param now the current time
	 */
	void checkLiveness(Instant now) {
		AttemptHandler attempt;
		synchronized (this.lock) {
			attempt = (this.state == UpstreamState.OPEN) ? this.current : null;
		}
		if (attempt == null) {
			return;
		}
		ConnectionSettings.Liveness liveness = this.settings.liveness();
		switch (attempt.check(now)) {
			case PING_DUE -> attempt.sendPing(now);
			case PONG_OVERDUE -> attempt.abort(new Failure(FailureKind.ABORTED, "ping-timeout",
					"No pong within " + liveness.pongTimeout() + " of a ping"));
			case STALE -> closeWithTimeout(attempt, new ClientClose(liveness.staleCode(), "stale", "stale"));
			case NONE -> {
			}
		}
	}

	@Override
	public void closing(AttemptHandler attempt) {
		synchronized (this.lock) {
			if (attempt == this.current && this.state == UpstreamState.OPEN) {
				this.state = UpstreamState.CLOSING;
			}
		}
	}

	@Override
	public void ended(AttemptHandler attempt, CloseObservation observation) {
		if (attempt.releaseGate()) {
			this.gate.leave();
		}
		CloseVerdict verdict = BrowserCloseRules.verdict(observation);
		Ended ended = this.sequence.publish((id) -> end(id, attempt, observation, verdict), Ended::event);
		CloseEvent event = ended.event();
		// one line per close; the key-values become fields in structured (ECS, Logstash)
		// logs
		logger.atInfo()
			.addKeyValue("upstream", name())
			.addKeyValue("close.code", event.code())
			.addKeyValue("close.was_clean", event.wasClean())
			.addKeyValue("close.initiator", event.initiator())
			.addKeyValue("close.phase", event.phase())
			.addKeyValue("close.error", event.error())
			.log("Upstream '{}' closed: code={} reason='{}' wasClean={} initiator={} phase={} error={} duration={}",
					name(), event.code(), event.reason(), event.wasClean(), event.initiator(), event.phase(),
					event.error(), event.duration());
		if (ended.scheduled() != null) {
			this.events.publishEvent(ended.scheduled());
		}
		if (ended.stopped() != null) {
			ended.stopped().run();
		}
	}

	// under the sequence's lock: the event is published right after
	private Ended end(long id, AttemptHandler attempt, CloseObservation observation, CloseVerdict verdict) {
		synchronized (this.lock) {
			Instant now = this.clock.instant();
			Instant openedAt = observation.opened() ? this.openSince : null;
			Duration duration = (openedAt != null) ? Duration.between(openedAt, now) : Duration.ZERO;
			CloseEvent event = new CloseEvent(id, name(), this.startedAt, openedAt, now, duration, verdict.code(),
					verdict.reason(), verdict.wasClean(), verdict.errorEvent(), verdict.initiator(), verdict.phase(),
					observation.handshakeStatus(), verdict.error(), mask(verdict.errorMessage()), attempt.number(),
					attempt.messages(), verdict.wireCode(), verdict.wireReason());
			this.current = null;
			this.messagesBefore += attempt.messages();
			this.lastClose = event;
			this.closes.add(now, event.wasClean());
			this.openSince = null;
			if (this.disconnectedSince == null) {
				this.disconnectedSince = now;
			}
			if (this.running) {
				return new Ended(event, scheduleReconnect(event, attempt.retryAfter(), now), null);
			}
			this.state = UpstreamState.STOPPED;
			Runnable stopped = this.whenStopped;
			this.whenStopped = null;
			return new Ended(event, null, stopped);
		}
	}

	// guarded by lock
	private @Nullable ReconnectScheduled scheduleReconnect(CloseEvent event, @Nullable String retryAfter, Instant now) {
		if (this.policy.resets(event)) {
			this.attempt = 1;
		}
		ReconnectDecision decision = this.policy.decide(this.attempt, event, RetryAfter.parse(retryAfter, now));
		Duration delay = decision.delay();
		if (delay == null) {
			this.state = UpstreamState.GAVE_UP;
			logger.warn("Upstream '{}' gave up after {} attempt(s): {}", name(), this.attempt, decision.reason());
			return null;
		}
		Instant at = now.plus(delay);
		this.state = UpstreamState.WAITING_TO_RECONNECT;
		this.nextAttemptAt = at;
		this.pending = this.scheduler.schedule(this::reconnect, at);
		logger.debug("Upstream '{}' reconnects in {} ({})", name(), delay, decision.reason());
		return new ReconnectScheduled(name(), this.attempt + 1, delay, at);
	}

	/**
	 * Start over at once: an upstream that gave up or is waiting connects now with a
	 * reset attempt count.
	 * @return whether a new attempt was started
	 */
	boolean resume() {
		synchronized (this.lock) {
			if (!this.running
					|| (this.state != UpstreamState.GAVE_UP && this.state != UpstreamState.WAITING_TO_RECONNECT)) {
				return false;
			}
			if (this.pending != null) {
				this.pending.cancel(false);
			}
			logger.info("Upstream '{}' resumed", name());
			this.attempt = 0;
			connect();
			return true;
		}
	}

	private void reconnect() {
		synchronized (this.lock) {
			if (this.running && this.state == UpstreamState.WAITING_TO_RECONNECT) {
				connect();
			}
		}
	}

	private @Nullable String mask(@Nullable String message) {
		if (message == null) {
			return null;
		}
		return message.replace(this.target.uri().toString(), this.target.maskedUrl());
	}

	private record Ended(CloseEvent event, @Nullable ReconnectScheduled scheduled, @Nullable Runnable stopped) {
	}

}
