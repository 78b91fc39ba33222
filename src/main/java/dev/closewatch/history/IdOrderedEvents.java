package dev.closewatch.history;

import java.time.Instant;

import dev.closewatch.closeevent.CloseEvent;

/**
 * Close events in id order, oldest first, in a ring that grows and shrinks with its size.
 * Beside each event it keeps the latest {@code closedAt} of that event and every earlier
 * one (evicted ones included): ids increase with time but {@code closedAt} is only nearly
 * in id order, so a {@code since} filter may skip the events before the first position
 * whose latest {@code closedAt} reaches it, and no more. Not thread-safe.
 */
final class IdOrderedEvents {

	private static final int MIN_LENGTH = 4;

	private CloseEvent[] events = new CloseEvent[MIN_LENGTH];

	private Instant[] latestClosedAt = new Instant[MIN_LENGTH];

	private int head;

	private int size;

	int size() {
		return this.size;
	}

	CloseEvent get(int index) {
		return this.events[physical(index)];
	}

	CloseEvent oldest() {
		return get(0);
	}

	boolean contains(long id) {
		if (this.size == 0 || get(this.size - 1).id() < id) {
			return false;
		}
		int below = countBelow(id);
		return below < this.size && get(below).id() == id;
	}

	/**
	 * Insert the event at its place in id order, which is the end unless events were
	 * recorded out of order. The caller ensures that its id is not yet present.
	 */
	void add(CloseEvent event) {
		if (this.size == this.events.length) {
			resize(this.events.length * 2);
		}
		int position = (this.size == 0 || get(this.size - 1).id() < event.id()) ? this.size : countBelow(event.id());
		Instant closedAt = event.closedAt();
		for (int i = this.size; i > position; i--) {
			set(i, get(i - 1), latest(this.latestClosedAt[physical(i - 1)], closedAt));
		}
		set(position, event, (position > 0) ? latest(this.latestClosedAt[physical(position - 1)], closedAt) : closedAt);
		this.size++;
	}

	CloseEvent removeOldest() {
		CloseEvent oldest = oldest();
		this.events[this.head] = null;
		this.latestClosedAt[this.head] = null;
		this.head = physical(1);
		this.size--;
		if (this.events.length > MIN_LENGTH && this.size <= this.events.length / 4) {
			resize(this.events.length / 2);
		}
		return oldest;
	}

	/**
	 * Return how many events have an id lower than the given one.
	 */
	int countBelow(long id) {
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

	/**
	 * Return how many of the oldest events certainly closed before the given instant: the
	 * events before the first one whose latest {@code closedAt} so far is not before it.
	 */
	int countClosedBefore(Instant instant) {
		int low = 0;
		int high = this.size;
		while (low < high) {
			int middle = (low + high) >>> 1;
			if (this.latestClosedAt[physical(middle)].isBefore(instant)) {
				low = middle + 1;
			}
			else {
				high = middle;
			}
		}
		return low;
	}

	private void set(int index, CloseEvent event, Instant latestClosedAt) {
		int physical = physical(index);
		this.events[physical] = event;
		this.latestClosedAt[physical] = latestClosedAt;
	}

	// lengths are powers of two
	private int physical(int index) {
		return (this.head + index) & (this.events.length - 1);
	}

	private void resize(int length) {
		CloseEvent[] events = new CloseEvent[length];
		Instant[] latestClosedAt = new Instant[length];
		for (int i = 0; i < this.size; i++) {
			events[i] = this.events[physical(i)];
			latestClosedAt[i] = this.latestClosedAt[physical(i)];
		}
		this.events = events;
		this.latestClosedAt = latestClosedAt;
		this.head = 0;
	}

	private static Instant latest(Instant first, Instant second) {
		return first.isBefore(second) ? second : first;
	}

}
