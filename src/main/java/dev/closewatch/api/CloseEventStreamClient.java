package dev.closewatch.api;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.closewatch.closeevent.CloseEvent;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One connected stream client: a bounded queue that the publishing thread only offers to,
 * drained by a task on the stream executor that does the (possibly blocking) writes. A
 * client whose queue is full is dropped, so that a slow reader never slows closewatch or
 * the other clients. Events of the resume backlog are sent first, oldest first; live
 * events already sent from the backlog are skipped.
 */
class CloseEventStreamClient {

	static final String EVENT_NAME = "close";

	private static final Logger logger = LoggerFactory.getLogger(CloseEventStreamClient.class);

	private static final Object HEARTBEAT = new Object();

	private final SseEmitter emitter;

	private final @Nullable String upstream;

	private final long afterId;

	private final BlockingQueue<Object> queue;

	private final Function<CloseEvent, byte[]> json;

	private final Executor executor;

	private final Consumer<CloseEventStreamClient> onEnd;

	private final AtomicBoolean draining = new AtomicBoolean();

	private final AtomicBoolean ended = new AtomicBoolean();

	private volatile @Nullable List<CloseEvent> backlog;

	private final Set<Long> backlogIds = new HashSet<>();

	private volatile boolean started;

	private volatile boolean dropped;

	/**
	 * Create a client that is not started yet: events it is offered wait in its buffer.
	 * @param emitter the response to write to
	 * @param upstream only events of this upstream, or {@code null} for all
	 * @param afterId only events with a greater id (the {@code Last-Event-ID}), or -1
	 * @param buffer how many events may wait before the client is dropped
	 * @param json an event's JSON, as in the list
	 * @param executor runs the writes
	 * @param onEnd called once when the client ends for any reason
	 */
	CloseEventStreamClient(SseEmitter emitter, @Nullable String upstream, long afterId, int buffer,
			Function<CloseEvent, byte[]> json, Executor executor, Consumer<CloseEventStreamClient> onEnd) {
		this.emitter = emitter;
		this.upstream = upstream;
		this.afterId = afterId;
		this.queue = new ArrayBlockingQueue<>(buffer);
		this.json = json;
		this.executor = executor;
		this.onEnd = onEnd;
		emitter.onCompletion(this::end);
		emitter.onTimeout(this::end);
		emitter.onError((ex) -> end());
	}

	SseEmitter emitter() {
		return this.emitter;
	}

	@Nullable String upstream() {
		return this.upstream;
	}

	boolean isDropped() {
		return this.dropped;
	}

	/**
	 * Start sending: first the backlog, then whatever was offered meanwhile.
	 * @param backlog events to resume with, oldest first
	 */
	void start(List<CloseEvent> backlog) {
		this.backlog = List.copyOf(backlog);
		this.started = true;
		schedule();
	}

	/**
	 * Offer a live event. Never blocks: called on the thread that published the event.
	 * @param event the close event
	 */
	void offer(CloseEvent event) {
		if (this.ended.get() || event.id() <= this.afterId
				|| (this.upstream != null && !this.upstream.equals(event.upstream()))) {
			return;
		}
		if (!this.queue.offer(event)) {
			drop();
			return;
		}
		schedule();
	}

	/**
	 * Queue a heartbeat comment if nothing else is waiting to be sent.
	 */
	void heartbeat() {
		if (!this.ended.get() && this.queue.isEmpty() && this.queue.offer(HEARTBEAT)) {
			schedule();
		}
	}

	/**
	 * End the stream normally, as when closewatch shuts down.
	 */
	void complete() {
		if (end()) {
			this.emitter.complete();
		}
	}

	private void drop() {
		this.dropped = true;
		if (end()) {
			logger.warn("Dropped a close event stream client{}: {} events were waiting to be sent",
					(this.upstream != null) ? " of upstream '" + this.upstream + "'" : "", this.queue.size());
			// the writer completes the response once its current write returns
			schedule();
		}
	}

	private boolean end() {
		if (this.ended.compareAndSet(false, true)) {
			this.onEnd.accept(this);
			return true;
		}
		return false;
	}

	private void schedule() {
		if (this.started && this.draining.compareAndSet(false, true)) {
			try {
				this.executor.execute(this::drain);
			}
			catch (RejectedExecutionException ex) {
				this.draining.set(false);
				complete();
			}
		}
	}

	private void drain() {
		try {
			if (this.dropped) {
				this.queue.clear();
				this.emitter.complete();
				return;
			}
			List<CloseEvent> backlog = this.backlog;
			if (backlog != null) {
				this.backlog = null;
				this.emitter.send(SseEmitter.event().comment("closewatch close events"));
				for (CloseEvent event : backlog) {
					this.backlogIds.add(event.id());
					send(event);
				}
			}
			for (Object item = this.queue.poll(); item != null && !this.ended.get(); item = this.queue.poll()) {
				if (item == HEARTBEAT) {
					this.emitter.send(SseEmitter.event().comment("heartbeat"));
				}
				else if (item instanceof CloseEvent event && !this.backlogIds.remove(event.id())) {
					send(event);
				}
			}
		}
		catch (IOException | IllegalStateException ex) {
			// the client went away; the container completes the response
			logger.debug("Close event stream client gone", ex);
			this.queue.clear();
			end();
			return;
		}
		finally {
			this.draining.set(false);
		}
		if (this.dropped || (!this.ended.get() && !this.queue.isEmpty())) {
			schedule();
		}
	}

	private void send(CloseEvent event) throws IOException {
		this.emitter.send(SseEmitter.event()
			.id(Long.toString(event.id()))
			.name(EVENT_NAME)
			.data(this.json.apply(event), MediaType.APPLICATION_JSON));
	}

}
