package dev.closewatch.upstream;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.LongFunction;

import dev.closewatch.closeevent.CloseEvent;

import org.springframework.context.ApplicationEventPublisher;

/**
 * Numbers close events and publishes them in the same order, across all upstreams: an
 * event is built with the next id and published before the next one is built. Readers of
 * the history and of the stream can then rely on ids: nothing with a smaller id becomes
 * visible after a larger one, so a client that polls the newest page and stops at the
 * first event it has seen, or resumes a stream from the last id it saw, misses nothing.
 * (With ids handed out first and published later, a thread delayed between the two, by a
 * log write for instance, made an older event appear behind newer ones.)
 * <p>
 * The listeners run under the lock: they only record, count and enqueue.
 */
final class CloseEventSequence {

	private final ReentrantLock lock = new ReentrantLock();

	private final ApplicationEventPublisher events;

	private long last;

	/**
	 * Create a sequence.
	 * @param last the id before the first one handed out
	 * @param events where the close events are published
	 */
	CloseEventSequence(long last, ApplicationEventPublisher events) {
		this.last = last;
		this.events = events;
	}

	/**
	 * Build the next close event and publish it, in id order.
	 * @param <T> what the builder returns
	 * @param build builds the result holding the event, from the event's id
	 * @param event the event in that result
	 * @return what {@code build} returned
	 */
	<T> T publish(LongFunction<T> build, Function<T, CloseEvent> event) {
		this.lock.lock();
		try {
			T built = build.apply(++this.last);
			this.events.publishEvent(event.apply(built));
			return built;
		}
		finally {
			this.lock.unlock();
		}
	}

}
