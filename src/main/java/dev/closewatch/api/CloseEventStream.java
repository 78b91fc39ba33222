package dev.closewatch.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import dev.closewatch.closeevent.CloseEvent;
import dev.closewatch.closeevent.CloseEventListenerOrder;
import dev.closewatch.history.CloseEventHistory;
import dev.closewatch.history.CloseEventQuery;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Fans every published {@link CloseEvent} out to the connected stream clients. The
 * publishing thread (a Jetty I/O thread) only offers each event to each client's bounded
 * buffer; writes happen on this stream's own threads, one at a time per client. Heartbeat
 * comments go out on the scheduler's clock. Counts connected clients in
 * {@code closewatch.stream.clients}.
 */
class CloseEventStream implements MeterBinder, DisposableBean {

	static final String CLIENTS = "closewatch.stream.clients";

	// the history's page limit, and the most a resume sends before going live
	private static final int PAGE = 1000;

	private final CloseEventHistory history;

	private final int buffer;

	private final List<CloseEventStreamClient> clients = new CopyOnWriteArrayList<>();

	// a thread per client that is being written to, bounded by the number of clients;
	// an idle one ends after a few seconds, so that clients come and gone (a status page
	// reloaded, a curl) do not hold threads: a live client keeps its writer busy with
	// events and heartbeats, and a new writer costs microseconds
	private final ExecutorService writers = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 5, TimeUnit.SECONDS,
			new SynchronousQueue<>(), daemonThreads());

	private final ScheduledFuture<?> heartbeats;

	// an event's JSON as in the list, serialised once for the list and every client
	private final Function<CloseEvent, byte[]> json;

	CloseEventStream(CloseEventHistory history, StreamProperties properties, TaskScheduler scheduler,
			Function<CloseEvent, byte[]> json) {
		this.history = history;
		this.json = json;
		this.buffer = properties.buffer();
		this.heartbeats = scheduler.scheduleAtFixedRate(this::heartbeat, properties.heartbeat());
	}

	/**
	 * Connect a client: live events from now on, after the recorded events with an id
	 * greater than {@code lastEventId}, oldest first.
	 * @param upstream only events of this upstream, or {@code null} for all
	 * @param lastEventId the id of the last event the client has seen, or {@code null}
	 * @return the response to return from the handler
	 */
	SseEmitter subscribe(@Nullable String upstream, @Nullable Long lastEventId) {
		SseEmitter emitter = new SseEmitter(-1L);
		long afterId = (lastEventId != null) ? lastEventId : -1;
		CloseEventStreamClient client = new CloseEventStreamClient(emitter, upstream, afterId, this.buffer, this.json,
				this.writers, this.clients::remove);
		// registered before reading the history: an event is either recorded before the
		// read or offered live (or both, and then sent once)
		this.clients.add(client);
		client.start((lastEventId != null) ? recordedAfter(upstream, lastEventId) : List.of());
		return emitter;
	}

	@EventListener
	@Order(CloseEventListenerOrder.NOTIFY)
	void onClose(CloseEvent event) {
		// runs after the history and the counters have recorded the event
		// (CloseEventListenerOrder), so that a client finds what it is told of in the
		// list and the scrape, and one subscribing concurrently finds the event in the
		// history if it missed it live
		for (CloseEventStreamClient client : this.clients) {
			client.offer(event);
		}
	}

	@EventListener(ContextClosedEvent.class)
	void completeAll() {
		this.heartbeats.cancel(false);
		for (CloseEventStreamClient client : this.clients) {
			client.complete();
		}
	}

	int clientCount() {
		return this.clients.size();
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder(CLIENTS, this.clients, List::size)
			.description("Clients connected to the close event stream")
			.register(registry);
	}

	@Override
	public void destroy() {
		completeAll();
		this.writers.shutdown();
	}

	private void heartbeat() {
		for (CloseEventStreamClient client : this.clients) {
			client.heartbeat();
		}
	}

	// the newest events after lastEventId, at most one buffer's worth, oldest first
	private List<CloseEvent> recordedAfter(@Nullable String upstream, long lastEventId) {
		int limit = Math.min(this.buffer, PAGE);
		List<CloseEvent> found = new ArrayList<>();
		for (CloseEvent event : this.history
			.findRecent(new CloseEventQuery(upstream, null, null, null, null, null, limit))) {
			if (event.id() <= lastEventId) {
				break;
			}
			found.add(event);
		}
		Collections.reverse(found);
		return found;
	}

	private static CustomizableThreadFactory daemonThreads() {
		CustomizableThreadFactory threads = new CustomizableThreadFactory("closewatch-stream-");
		threads.setDaemon(true);
		return threads;
	}

}
