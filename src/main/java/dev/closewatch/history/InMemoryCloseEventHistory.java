package dev.closewatch.history;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import dev.closewatch.closeevent.CloseEvent;

import org.springframework.util.Assert;

/**
 * A {@link CloseEventHistory} in a bounded ring buffer kept in id order, so that the
 * newest events come first and the oldest are evicted first. Events recorded slightly out
 * of id order by concurrent publishers are inserted in place, which keeps the id cursor
 * of {@link CloseEventQuery#beforeId()} stable.
 */
public class InMemoryCloseEventHistory implements CloseEventHistory {

	private final ReadWriteLock lock = new ReentrantReadWriteLock();

	private final CloseEvent[] events;

	private int head;

	private int size;

	private long evictions;

	/**
	 * Create a history that keeps at most {@code capacity} events.
	 * @param capacity the maximum number of events kept, positive
	 */
	public InMemoryCloseEventHistory(int capacity) {
		Assert.isTrue(capacity > 0, () -> "capacity must be positive, was " + capacity);
		this.events = new CloseEvent[capacity];
	}

	@Override
	public void record(CloseEvent event) {
		Objects.requireNonNull(event, "event must not be null");
		this.lock.writeLock().lock();
		try {
			int position = insertionPoint(event.id());
			if (position < 0) {
				return;
			}
			if (this.size == this.events.length) {
				this.evictions++;
				if (position == 0) {
					// older than everything kept: it is the one to evict
					return;
				}
				this.events[this.head] = null;
				this.head = (this.head + 1) % this.events.length;
				this.size--;
				position--;
			}
			for (int i = this.size; i > position; i--) {
				set(i, get(i - 1));
			}
			set(position, event);
			this.size++;
		}
		finally {
			this.lock.writeLock().unlock();
		}
	}

	@Override
	public List<CloseEvent> find(CloseEventQuery query) {
		Objects.requireNonNull(query, "query must not be null");
		if (query.limit() <= 0) {
			return List.of();
		}
		this.lock.readLock().lock();
		try {
			List<CloseEvent> found = new ArrayList<>(Math.min(query.limit(), this.size));
			Long beforeId = query.beforeId();
			int start = (beforeId != null) ? countBelow(beforeId) - 1 : this.size - 1;
			for (int i = start; i >= 0 && found.size() < query.limit(); i--) {
				CloseEvent event = get(i);
				if (matches(query, event)) {
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

	int size() {
		this.lock.readLock().lock();
		try {
			return this.size;
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

	/**
	 * Return the logical position for a new id, or -1 if the id is already recorded.
	 */
	private int insertionPoint(long id) {
		if (this.size == 0 || get(this.size - 1).id() < id) {
			return this.size;
		}
		int below = countBelow(id);
		return (below < this.size && get(below).id() == id) ? -1 : below;
	}

	/**
	 * Return how many recorded events have an id lower than the given one.
	 */
	private int countBelow(long id) {
		int low = 0;
		int high = this.size;
		while (low < high) {
			int middle = (low + high) >>> 1;
			if (get(middle).id() < id) {
				low = middle + 1;
			}
			else {
				high = middle;
			}
		}
		return low;
	}

	private CloseEvent get(int logicalIndex) {
		return this.events[(this.head + logicalIndex) % this.events.length];
	}

	private void set(int logicalIndex, CloseEvent event) {
		this.events[(this.head + logicalIndex) % this.events.length] = event;
	}

}
