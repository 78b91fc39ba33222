package dev.closewatch.history;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

import dev.closewatch.closeevent.CloseEvent;
import org.jspecify.annotations.Nullable;

/**
 * The recorded events grouped by one value a query may filter on (upstream, code or
 * {@code wasClean}), each group in id order, so that a filtered query reads only the
 * events of its group. A group is dropped with its last event. Not thread-safe.
 *
 * @param <K> the type of the value
 */
final class EventIndex<K> {

	// stands for a value no recorded event has; never added to
	private static final IdOrderedEvents NONE = new IdOrderedEvents();

	private final Function<CloseEvent, K> value;

	private final Map<K, IdOrderedEvents> groups = new HashMap<>();

	EventIndex(Function<CloseEvent, K> value) {
		this.value = value;
	}

	void add(CloseEvent event) {
		this.groups.computeIfAbsent(this.value.apply(event), (value) -> new IdOrderedEvents()).add(event);
	}

	/**
	 * Remove the event evicted from the history. It is the oldest recorded event, so it
	 * is the oldest of its group.
	 */
	void removeOldest(CloseEvent evicted) {
		K value = this.value.apply(evicted);
		IdOrderedEvents group = this.groups.get(value);
		if (group != null) {
			group.removeOldest();
			if (group.size() == 0) {
				this.groups.remove(value);
			}
		}
	}

	/**
	 * Return the events having the given value, if that is fewer than the candidates so
	 * far, or the candidates when the query does not filter on this value.
	 */
	IdOrderedEvents narrow(IdOrderedEvents candidates, @Nullable K value) {
		if (value == null) {
			return candidates;
		}
		IdOrderedEvents group = this.groups.getOrDefault(value, NONE);
		return (group.size() < candidates.size()) ? group : candidates;
	}

	int groupCount() {
		return this.groups.size();
	}

}
