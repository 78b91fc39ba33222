package dev.closewatch.upstream;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.TaskScheduler;

/**
 * Owns the connection loop of every configured upstream. Connections open after the web
 * server has started ({@link SmartLifecycle#DEFAULT_PHASE}) and are closed with 1001
 * Going Away before the web server shuts down; each of those closes is recorded.
 */
class UpstreamConnections implements SmartLifecycle, Upstreams {

	private static final Logger logger = LoggerFactory.getLogger(UpstreamConnections.class);

	private final Map<String, UpstreamConnection> connections;

	private final List<String> names;

	private final TaskScheduler scheduler;

	private final Clock clock;

	private final Duration stopTimeout;

	private final Duration startupSpread;

	private final Duration connectTimeout;

	private final Duration livenessTick;

	private @Nullable ScheduledFuture<?> sweep;

	private @Nullable ScheduledFuture<?> firstOpenCheck;

	private final Object lifecycleMonitor = new Object();

	private volatile boolean running;

	// the upstreams opened at least once since start, until all have: then null
	private volatile @Nullable Set<String> firstOpened;

	private @Nullable Instant startedAt;

	UpstreamConnections(List<UpstreamConnection> connections, TaskScheduler scheduler, Clock clock,
			Duration stopTimeout, Duration startupSpread, Duration connectTimeout, Duration livenessTick) {
		Map<String, UpstreamConnection> byName = new TreeMap<>();
		connections.forEach((connection) -> byName.put(connection.name(), connection));
		this.connections = Collections.unmodifiableMap(byName);
		this.names = List.copyOf(byName.keySet());
		this.scheduler = scheduler;
		this.clock = clock;
		this.stopTimeout = stopTimeout;
		this.startupSpread = startupSpread;
		this.connectTimeout = connectTimeout;
		this.livenessTick = livenessTick;
	}

	@Override
	public void start() {
		synchronized (this.lifecycleMonitor) {
			if (this.running) {
				return;
			}
			logger.info("Monitoring {} upstream(s), first connects spread over {}", this.connections.size(),
					this.startupSpread);
			Instant startedAt = this.clock.instant();
			this.startedAt = startedAt;
			this.firstOpened = this.connections.isEmpty() ? null : ConcurrentHashMap.newKeySet();
			int index = 0;
			int count = this.connections.size();
			for (UpstreamConnection connection : this.connections.values()) {
				// evenly spaced: a fleet of upstreams never opens in one burst
				connection.start(this.startupSpread.multipliedBy(index++).dividedBy(count));
			}
			if (!this.connections.isEmpty()) {
				this.sweep = this.scheduler.scheduleAtFixedRate(this::checkLiveness, this.livenessTick);
				// by then every upstream had its first attempt, all of it
				this.firstOpenCheck = this.scheduler.schedule(this::reportNotYetOpen,
						startedAt.plus(this.startupSpread).plus(this.connectTimeout));
			}
			this.running = true;
		}
	}

	@Override
	public void stop() {
		throw new UnsupportedOperationException("Stop must not be invoked directly");
	}

	@Override
	public void stop(Runnable callback) {
		synchronized (this.lifecycleMonitor) {
			if (!this.running) {
				callback.run();
				return;
			}
			this.running = false;
			if (this.sweep != null) {
				this.sweep.cancel(false);
				this.sweep = null;
			}
			if (this.firstOpenCheck != null) {
				this.firstOpenCheck.cancel(false);
				this.firstOpenCheck = null;
			}
			logger.info("Closing {} upstream(s) with 1001 Going Away", this.connections.size());
			AtomicBoolean done = new AtomicBoolean();
			Runnable finish = () -> {
				if (done.compareAndSet(false, true)) {
					callback.run();
				}
			};
			if (this.connections.isEmpty()) {
				finish.run();
				return;
			}
			AtomicInteger remaining = new AtomicInteger(this.connections.size());
			this.scheduler.schedule(() -> {
				if (!done.get()) {
					logger.warn("{} upstream(s) still closing after {}; stopping anyway", remaining.get(),
							this.stopTimeout);
				}
				finish.run();
			}, this.clock.instant().plus(this.stopTimeout));
			this.connections.values().forEach((connection) -> connection.stop(() -> {
				if (remaining.decrementAndGet() == 0) {
					finish.run();
				}
			}));
		}
	}

	/**
	 * Say once, at INFO, when every upstream has opened since start; each open is logged
	 * at DEBUG only (10,000 upstreams would otherwise log 10,000 lines at start, and one
	 * per reconnect on top of the close that caused it).
	 * @param connected an upstream that opened
	 */
	@EventListener
	void opened(UpstreamConnected connected) {
		Set<String> opened = this.firstOpened;
		if (opened == null || !opened.add(connected.upstream()) || opened.size() < this.connections.size()) {
			return;
		}
		synchronized (this.lifecycleMonitor) {
			if (this.firstOpened == null) {
				return;
			}
			this.firstOpened = null;
			Duration took = Duration.between(Objects.requireNonNull(this.startedAt), this.clock.instant());
			logger.info("All {} upstream(s) open, {} ms after monitoring started", this.connections.size(),
					took.toMillis());
		}
	}

	/**
	 * Name, once, the upstreams that have not opened since start when every one has had
	 * its first attempt (the startup spread plus the connect timeout): the operator
	 * otherwise waits for an "All ... open" line that will not come.
	 */
	private void reportNotYetOpen() {
		synchronized (this.lifecycleMonitor) {
			Set<String> opened = this.firstOpened;
			if (opened == null || !this.running) {
				return;
			}
			List<String> missing = this.names.stream().filter((name) -> !opened.contains(name)).toList();
			if (missing.isEmpty()) {
				return;
			}
			logger.warn("{} of {} upstream(s) not open {} ms after monitoring started: {}{}; see GET /api/v1/upstreams",
					missing.size(), this.connections.size(),
					Duration.between(Objects.requireNonNull(this.startedAt), this.clock.instant()).toMillis(),
					String.join(", ", missing.subList(0, Math.min(missing.size(), 10))),
					(missing.size() > 10) ? " and " + (missing.size() - 10) + " more" : "");
		}
	}

	private void checkLiveness() {
		Instant now = this.clock.instant();
		for (UpstreamConnection connection : this.connections.values()) {
			try {
				connection.checkLiveness(now);
			}
			catch (RuntimeException ex) {
				logger.warn("Liveness check of upstream '{}' failed", connection.name(), ex);
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public List<String> names() {
		return this.names;
	}

	@Override
	public boolean contains(String name) {
		return this.connections.containsKey(name);
	}

	@Override
	public List<UpstreamStatus> statuses() {
		List<UpstreamStatus> statuses = new ArrayList<>(this.connections.size());
		this.connections.values().forEach((connection) -> statuses.add(connection.status()));
		return statuses;
	}

	@Override
	public Optional<UpstreamStatus> reconnect(String name) {
		UpstreamConnection connection = this.connections.get(name);
		if (connection == null) {
			return Optional.empty();
		}
		connection.resume();
		return Optional.of(connection.status());
	}

	@Override
	public Optional<UpstreamStatus> status(String name) {
		return Optional.ofNullable(this.connections.get(name)).map(UpstreamConnection::status);
	}

}
