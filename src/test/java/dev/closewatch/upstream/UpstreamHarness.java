package dev.closewatch.upstream;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.closewatch.closeevent.CloseEvent;
import dev.closewatch.reconnect.ReconnectDecision;
import dev.closewatch.reconnect.ReconnectOverrides;
import dev.closewatch.reconnect.ReconnectPolicy;
import dev.closewatch.upstream.UpstreamProperties.Upstream;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * Runs real upstream connections against a test server without a Spring context and
 * collects what they publish.
 */
final class UpstreamHarness implements AutoCloseable {

	private final UpstreamClients clients;

	private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();

	private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();

	private final CloseEventSequence sequence = new CloseEventSequence(0, this.events::add);

	private HandshakeGate gate = new HandshakeGate(64);

	private Duration closeTimeout = Duration.ofSeconds(5);

	private Duration connectTimeout = Duration.ofSeconds(5);

	private Duration tcpCloseTimeout = Duration.ofSeconds(2);

	UpstreamHarness() throws Exception {
		this.scheduler.setPoolSize(1);
		// as closewatch's scheduler (SchedulerConfiguration)
		this.scheduler.setRemoveOnCancelPolicy(true);
		this.scheduler.initialize();
		this.clients = new UpstreamClients(this.connectTimeout, this.scheduler);
	}

	UpstreamHarness sslBundle(String name, SslBundle bundle) throws Exception {
		this.clients.addBundle(name, bundle);
		return this;
	}

	UpstreamHarness maxConcurrentHandshakes(int limit) {
		this.gate = new HandshakeGate(limit);
		return this;
	}

	HandshakeGate gate() {
		return this.gate;
	}

	UpstreamHarness closeTimeout(Duration closeTimeout) {
		this.closeTimeout = closeTimeout;
		return this;
	}

	UpstreamHarness tcpCloseTimeout(Duration tcpCloseTimeout) {
		this.tcpCloseTimeout = tcpCloseTimeout;
		return this;
	}

	UpstreamHarness connectTimeout(Duration connectTimeout) {
		this.connectTimeout = connectTimeout;
		return this;
	}

	UpstreamConnection connection(String name, String url) {
		return connection(name, new Upstream(URI.create(url), null, null, null, null),
				(retry, last, retryAfter) -> ReconnectDecision.giveUp("test"));
	}

	UpstreamConnection connection(String name, Upstream upstream, ReconnectPolicy policy) {
		return connection(name, upstream, policy, ConnectionSettings.Liveness.OFF);
	}

	UpstreamConnection connection(String name, Upstream upstream, ReconnectPolicy policy,
			ConnectionSettings.Liveness liveness) {
		ConnectionSettings settings = new ConnectionSettings(this.connectTimeout, this.closeTimeout,
				this.tcpCloseTimeout, liveness);
		return new UpstreamConnection(UpstreamTarget.of(name, upstream), settings, policy,
				this.clients.client(upstream.sslBundle()), this.scheduler, Clock.systemUTC(), this.events::add,
				this.sequence, this.gate);
	}

	static Upstream upstream(String url, Map<String, String> headers, List<String> subprotocols, String onOpen) {
		return new Upstream(URI.create(url), headers, subprotocols, onOpen, ReconnectOverrides.none());
	}

	CloseEvent nextClose() throws InterruptedException {
		return next(CloseEvent.class, Duration.ofSeconds(15));
	}

	<T> T next(Class<T> type, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			Object event = this.events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
			if (event == null) {
				throw new AssertionError("No " + type.getSimpleName() + " within " + timeout);
			}
			if (type.isInstance(event)) {
				return type.cast(event);
			}
		}
	}

	/**
	 * The time left on every task waiting in the scheduler, Jetty's timers included.
	 * @return the delays, in no particular order
	 */
	List<Duration> pendingTimers() {
		return this.scheduler.getScheduledThreadPoolExecutor()
			.getQueue()
			.stream()
			.map((task) -> Duration.ofNanos(((Delayed) task).getDelay(TimeUnit.NANOSECONDS)))
			.toList();
	}

	List<Object> drain() {
		List<Object> drained = new java.util.ArrayList<>();
		this.events.drainTo(drained);
		return drained;
	}

	@Override
	public void close() throws Exception {
		this.clients.close();
		this.scheduler.shutdown();
	}

}
