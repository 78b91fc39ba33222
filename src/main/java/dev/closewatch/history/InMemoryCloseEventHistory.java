package dev.closewatch.history;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.LongPredicate;

import dev.closewatch.closeevent.CloseEvent;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * A {@link CloseEventHistory} kept in memory in id order, so that the newest events come
 * first and the oldest are evicted first. Events recorded slightly out of id order by
 * concurrent publishers are inserted in place, which keeps the id cursor of
 * {@link CloseEventQuery#beforeId()} stable. The events are also grouped by upstream,
 * code and {@code wasClean}, and a query reads only the smallest group it filters on; a
 * {@code since} filter ends the read where every older event closed before it.
 */
public class InMemoryCloseEventHistory implements CloseEventHistory {

	private final ReadWriteLock lock = new ReentrantReadWriteLock();

	private final int capacity;

	private final IdOrderedEvents events = new IdOrderedEvents();

	private final EventIndex<String> byUpstream = new EventIndex<>(CloseEvent::upstream);

	private final EventIndex<Integer> byCode = new EventIndex<>(CloseEvent::code);

	private final EventIndex<Boolean> byWasClean = new EventIndex<>(CloseEvent::wasClean);

	private final List<EventIndex<?>> indexes = List.of(this.byUpstream, this.byCode, this.byWasClean);

	private long evictions;

	/**
	 * Create a history that keeps at most {@code capacity} events.
	 * @param capacity the maximum number of events kept, positive
	 */
	public InMemoryCloseEventHistory(int capacity) {
		Assert.isTrue(capacity > 0, () -> "capacity must be positive, was " + capacity);
		this.capacity = capacity;
	}

	@Override
	public void record(CloseEvent event) {
		Objects.requireNonNull(event, "event must not be null");
		this.lock.writeLock().lock();
		try {
			if (this.events.contains(event.id())) {
				return;
			}
			if (this.events.size() == this.capacity) {
				this.evictions++;
				if (event.id() < this.events.oldest().id()) {
					// older than everything kept: it is the one to evict
					return;
				}
				CloseEvent evicted = this.events.removeOldest();
				this.indexes.forEach((index) -> index.removeOldest(evicted));
			}
			this.events.add(event);
			this.indexes.forEach((index) -> index.add(event));
		}
		finally {
			this.lock.writeLock().unlock();
		}
	}

	@Override
	public List<CloseEvent> find(CloseEventQuery query) {
		return find(query, (id) -> true);
	}

	/**
	 * Find the events of the query among those whose id is included.
	 * @param query the query
	 * @param included whether the event of an id may be found
	 * @return the events found, newest first
	 */
	List<CloseEvent> find(CloseEventQuery query, LongPredicate included) {
		Objects.requireNonNull(query, "query must not be null");
		if (query.limit() <= 0) {
			return List.of();
		}
		this.lock.readLock().lock();
		try {
			IdOrderedEvents candidates = this.byWasClean.narrow(
					this.byCode.narrow(this.byUpstream.narrow(this.events, query.upstream()), query.code()),
					query.wasClean());
			Long beforeId = query.beforeId();
			int newest = ((beforeId != null) ? candidates.countBelow(beforeId) : candidates.size()) - 1;
			int oldest = (query.since() != null) ? candidates.countClosedBefore(query.since()) : 0;
			List<CloseEvent> found = new ArrayList<>(Math.max(0, Math.min(query.limit(), newest - oldest + 1)));
			for (int i = newest; i >= oldest && found.size() < query.limit(); i--) {
				CloseEvent event = candidates.get(i);
				if (matches(query, event) && included.test(event.id())) {
					found.add(event);
				}
			}
			return List.copyOf(found);
		}
		finally {
			this.lock.readLock().unlock();
		}
	}

	/**
	 * Return the kept event of this id, the very object recorded.
	 * @param id the event's id
	 * @return the event, or {@code null} if it is not kept
	 */
	@Nullable CloseEvent get(long id) {
		this.lock.readLock().lock();
		try {
			if (!this.events.contains(id)) {
				return null;
			}
			return this.events.get(this.events.countBelow(id));
		}
		finally {
			this.lock.readLock().unlock();
		}
	}

	/**
	 * Return how many events were evicted, or dropped because the history was full of
	 * newer ones.
	 * @return the eviction count since start
	 */
	public long evictions() {
		this.lock.readLock().lock();
		try {
			return this.evictions;
		}
		finally {
			this.lock.readLock().unlock();
		}
	}

	/**
	 * Return when the kept events begin, once older ones were evicted: before it, events
	 * may be missing. {@code null} while none was evicted.
	 */
	@Nullable Instant completeSince() {
		this.lock.readLock().lock();
		try {
			return (this.evictions > 0 && this.events.size() > 0) ? this.events.oldest().closedAt() : null;
		}
		finally {
			this.lock.readLock().unlock();
		}
	}

	/**
	 * Return the id of the oldest event kept once the history is full, when no event with
	 * a lower id can enter it any more; {@code null} before.
	 */
	@Nullable Long oldestIdWhenFull() {
		this.lock.readLock().lock();
		try {
			return (this.events.size() == this.capacity) ? this.events.oldest().id() : null;
		}
		finally {
			this.lock.readLock().unlock();
		}
	}

	int capacity() {
		return this.capacity;
	}

	int size() {
		this.lock.readLock().lock();
		try {
			return this.events.size();
		}
		finally {
			this.lock.readLock().unlock();
		}
	}

	int indexedUpstreams() {
		this.lock.readLock().lock();
		try {
			return this.byUpstream.groupCount();
		}
		finally {
			this.lock.readLock().unlock();
		}
	}

	private static boolean matches(CloseEventQuery query, CloseEvent event) {
		return (query.upstream() == null || query.upstream().equals(event.upstream()))
				&& (query.code() == null || query.code() == event.code())
				&& (query.wasClean() == null || query.wasClean() == event.wasClean())
				&& (query.since() == null || !event.closedAt().isBefore(query.since()))
				&& (query.until() == null || event.closedAt().isBefore(query.until()));
	}

}
