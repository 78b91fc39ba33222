package dev.closewatch.upstream;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.closewatch.closeevent.ClientClose;
import dev.closewatch.upstream.UpstreamProperties.Upstream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.properties.bind.PlaceholdersResolver;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.TaskScheduler;

/**
 * Owns the connection loop of every monitored upstream. Connections open after the web
 * server has started ({@link SmartLifecycle#DEFAULT_PHASE}) and are closed with 1001
 * Going Away before the web server shuts down; each of those closes is recorded.
 * <p>
 * The set of upstreams is a value that {@link #apply} replaces while running: it compares
 * each definition by value, then adds, removes (1000 "removed") and reconnects the
 * changed (1000 "reconfigured"), and leaves every unchanged upstream's connection as it
 * is.
 */
class UpstreamConnections implements SmartLifecycle, Upstreams {

	private static final Logger logger = LoggerFactory.getLogger(UpstreamConnections.class);

	static final ClientClose REMOVED = new ClientClose(1000, "removed", "removed");

	static final ClientClose RECONFIGURED = new ClientClose(1000, "reconfigured", "reconfigured");

	private final ConcurrentSkipListMap<String, Member> members = new ConcurrentSkipListMap<>();

	private final UpstreamConnectionFactory factory;

	private final ApplicationEventPublisher events;

	private final Object applyMonitor = new Object();

	private volatile List<String> names;

	private final TaskScheduler scheduler;

	private final Clock clock;

	private final Duration stopTimeout;

	private final Duration startupSpread;

	private final Duration connectTimeout;

	private Duration livenessTick;

	private @Nullable ScheduledFuture<?> sweep;

	private @Nullable ScheduledFuture<?> firstOpenCheck;

	private final Object lifecycleMonitor = new Object();

	private volatile boolean running;

	// the upstreams opened at least once since start, until all have: then null
	private volatile @Nullable Set<String> firstOpened;

	private @Nullable Instant startedAt;

	/**
	 * Create the supervisor of the given upstreams.
	 * @param upstreams the definitions of the upstreams to monitor at start, by name
	 * @param factory builds (and checks) each upstream's connection loop
	 * @throws IllegalArgumentException naming the property of a definition that is wrong
	 */
	UpstreamConnections(Map<String, Upstream> upstreams, UpstreamConnectionFactory factory,
			ApplicationEventPublisher events, TaskScheduler scheduler, Clock clock, Duration stopTimeout,
			Duration startupSpread, Duration connectTimeout) {
		this.factory = factory;
		this.events = events;
		upstreams
			.forEach((name, upstream) -> this.members.put(name, new Member(factory.create(name, upstream), upstream)));
		this.names = List.copyOf(this.members.keySet());
		this.scheduler = scheduler;
		this.clock = clock;
		this.stopTimeout = stopTimeout;
		this.startupSpread = startupSpread;
		this.connectTimeout = connectTimeout;
		this.livenessTick = LivenessSweep.tick(connections());
	}

	@Override
	public void start() {
		synchronized (this.lifecycleMonitor) {
			if (this.running) {
				return;
			}
			logger.info("Monitoring {} upstream(s), first connects spread over {}", this.members.size(),
					this.startupSpread);
			Instant startedAt = this.clock.instant();
			this.startedAt = startedAt;
			this.firstOpened = this.members.isEmpty() ? null : ConcurrentHashMap.newKeySet();
			startSpread(connections(), this.startupSpread);
			this.sweep = this.scheduler.scheduleAtFixedRate(this::checkLiveness, this.livenessTick);
			if (!this.members.isEmpty()) {
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

	// one below the default: started after, and stopped before, nothing of closewatch's
	// but the cluster's membership, which leaves first so that the next owner opens
	// before this replica closes (still long before the web server's phases)
	@Override
	public int getPhase() {
		return DEFAULT_PHASE - 1;
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
			logger.info("Closing {} upstream(s) with 1001 Going Away", this.members.size());
			AtomicBoolean done = new AtomicBoolean();
			Runnable finish = () -> {
				if (done.compareAndSet(false, true)) {
					callback.run();
				}
			};
			List<UpstreamConnection> connections = connections();
			if (connections.isEmpty()) {
				finish.run();
				return;
			}
			AtomicInteger remaining = new AtomicInteger(connections.size());
			this.scheduler.schedule(() -> {
				if (!done.get()) {
					logger.warn("{} upstream(s) still closing after {}; stopping anyway", remaining.get(),
							this.stopTimeout);
				}
				finish.run();
			}, this.clock.instant().plus(this.stopTimeout));
			connections.forEach((connection) -> connection.stop(() -> {
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
		if (opened == null || !opened.add(connected.upstream()) || opened.size() < this.members.size()) {
			return;
		}
		synchronized (this.lifecycleMonitor) {
			if (this.firstOpened == null) {
				return;
			}
			this.firstOpened = null;
			Duration took = Duration.between(Objects.requireNonNull(this.startedAt), this.clock.instant());
			logger.info("All {} upstream(s) open, {} ms after monitoring started", this.members.size(),
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
			int count = this.names.size();
			if (missing.isEmpty()) {
				return;
			}
			logger.warn("{} of {} upstream(s) not open {} ms after monitoring started: {}{}; see GET /api/v1/upstreams",
					missing.size(), count,
					Duration.between(Objects.requireNonNull(this.startedAt), this.clock.instant()).toMillis(),
					String.join(", ", missing.subList(0, Math.min(missing.size(), 10))),
					(missing.size() > 10) ? " and " + (missing.size() - 10) + " more" : "");
		}
	}

	private void checkLiveness() {
		Instant now = this.clock.instant();
		// every tick: straight over the map, no copy
		for (Member member : this.members.values()) {
			UpstreamConnection connection = member.connection();
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
		return this.members.containsKey(name);
	}

	@Override
	public List<UpstreamStatus> statuses() {
		List<UpstreamStatus> statuses = new ArrayList<>(this.members.size());
		this.members.values().forEach((member) -> statuses.add(member.connection().status()));
		return statuses;
	}

	@Override
	public Optional<UpstreamStatus> reconnect(String name) {
		Member member = this.members.get(name);
		if (member == null) {
			return Optional.empty();
		}
		member.connection().resume();
		return Optional.of(member.connection().status());
	}

	@Override
	public Optional<UpstreamStatus> status(String name) {
		return Optional.ofNullable(this.members.get(name)).map((member) -> member.connection().status());
	}

	/**
	 * Return a reader of definitions checked as this supervisor checks them.
	 * @param placeholders resolves the placeholders of files, as in the application's
	 * configuration
	 * @return the reader
	 */
	UpstreamDefinitions definitionReader(PlaceholdersResolver placeholders) {
		return new UpstreamDefinitions(this.factory, placeholders);
	}

	/**
	 * Return the definitions of the monitored upstreams.
	 * @return the definitions by name
	 */
	Map<String, Upstream> definitions() {
		Map<String, Upstream> definitions = new TreeMap<>();
		this.members.forEach((name, member) -> definitions.put(name, member.definition()));
		return definitions;
	}

	/**
	 * Monitor exactly the given upstreams: connect the added ones (spread as at start and
	 * through the handshake cap), close the removed ones with 1000 "removed", reconnect
	 * those whose settings changed after closing them with 1000 "reconfigured", take new
	 * labels without touching the connection, and leave every other upstream's connection
	 * as it is. Every definition is checked before anything changes: one that is wrong
	 * changes nothing. Returns once the removed and changed upstreams' closes are
	 * recorded (at most the close timeout) and the new connections have started.
	 * @param upstreams the definitions by name
	 * @return what changed
	 * @throws IllegalArgumentException naming the property of a definition that is wrong
	 */
	UpstreamsDiff apply(Map<String, Upstream> upstreams) {
		return apply(upstreams, REMOVED);
	}

	/**
	 * As {@link #apply(Map)}, closing the upstreams that are no longer given with the
	 * given close rather than 1000 "removed".
	 * @param upstreams the definitions by name
	 * @param removal the close of the upstreams no longer given
	 * @return what changed
	 */
	UpstreamsDiff apply(Map<String, Upstream> upstreams, ClientClose removal) {
		synchronized (this.applyMonitor) {
			List<String> added = new ArrayList<>();
			List<String> changed = new ArrayList<>();
			List<String> relabelled = new ArrayList<>();
			Map<String, UpstreamConnection> created = new TreeMap<>();
			int unchanged = 0;
			for (Map.Entry<String, Upstream> entry : new TreeMap<>(upstreams).entrySet()) {
				String name = entry.getKey();
				Upstream upstream = entry.getValue();
				Member member = this.members.get(name);
				if (member == null || !member.definition().withoutLabels().equals(upstream.withoutLabels())) {
					// checks the definition: throws before anything changed
					created.put(name, this.factory.create(name, upstream));
					((member == null) ? added : changed).add(name);
				}
				else if (!member.definition().labels().equals(upstream.labels())) {
					relabelled.add(name);
				}
				else {
					unchanged++;
				}
			}
			List<String> removed = this.members.keySet()
				.stream()
				.filter((name) -> !upstreams.containsKey(name))
				.toList();
			UpstreamsDiff diff = new UpstreamsDiff(added, removed, changed, relabelled, unchanged);
			if (diff.isEmpty()) {
				return diff;
			}
			// both at once: one wait for every close handshake, not two in a row
			Map<String, ClientClose> closes = new TreeMap<>();
			removed.forEach((name) -> closes.put(name, removal));
			changed.forEach((name) -> closes.put(name, RECONFIGURED));
			stopAll(closes);
			removed.forEach(this.members::remove);
			for (String name : relabelled) {
				Member member = this.members.get(name);
				Upstream upstream = upstreams.get(name);
				member.connection().labels(upstream.labels());
				this.members.put(name, new Member(member.connection(), upstream));
			}
			created.forEach((name, connection) -> this.members.put(name, new Member(connection, upstreams.get(name))));
			this.names = List.copyOf(this.members.keySet());
			synchronized (this.lifecycleMonitor) {
				if (this.running) {
					// the added share of the fleet opens over the same share of the
					// startup spread; a changed upstream reconnects at once
					changed.forEach((name) -> created.get(name).start());
					startSpread(added.stream().map(created::get).toList(),
							this.startupSpread.multipliedBy(added.size()).dividedBy(Math.max(1, this.members.size())));
					reschedule(LivenessSweep.tick(connections()));
				}
			}
			logger.info("Upstreams applied: {} added, {} removed, {} changed, {} relabelled, {} unchanged",
					added.size(), removed.size(), changed.size(), relabelled.size(), unchanged);
			this.events.publishEvent(new UpstreamsChanged(diff));
			return diff;
		}
	}

	// stop each named upstream with its close and wait until every close is recorded
	private void stopAll(Map<String, ClientClose> closes) {
		if (closes.isEmpty()) {
			return;
		}
		CountDownLatch stopped = new CountDownLatch(closes.size());
		closes.forEach((name, close) -> this.members.get(name).connection().stop(close, stopped::countDown));
		try {
			if (!stopped.await(this.stopTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
				logger.warn("{} removed or reconfigured upstream(s) still closing after {}; going on",
						stopped.getCount(), this.stopTimeout);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	// evenly spaced: a fleet of upstreams never opens in one burst
	private static void startSpread(List<UpstreamConnection> connections, Duration spread) {
		int index = 0;
		int count = connections.size();
		for (UpstreamConnection connection : connections) {
			connection.start(spread.multipliedBy(index++).dividedBy(count));
		}
	}

	// guarded by lifecycleMonitor
	private void reschedule(Duration tick) {
		if (tick.equals(this.livenessTick) && this.sweep != null) {
			return;
		}
		this.livenessTick = tick;
		if (this.sweep != null) {
			this.sweep.cancel(false);
		}
		this.sweep = this.scheduler.scheduleAtFixedRate(this::checkLiveness, tick);
	}

	private List<UpstreamConnection> connections() {
		return this.members.values().stream().map(Member::connection).toList();
	}

	/**
	 * A monitored upstream: its connection loop and the definition it was built from.
	 */
	private record Member(UpstreamConnection connection, Upstream definition) {
	}

}
