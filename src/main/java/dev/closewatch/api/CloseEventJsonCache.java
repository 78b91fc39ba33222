package dev.closewatch.api;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;

import dev.closewatch.closeevent.CloseEvent;
import org.jspecify.annotations.Nullable;

/**
 * The JSON of close events, serialised once per event. An event's JSON sits in the slot
 * of its id modulo the number of slots: ids are unique and increasing, so any 16,384
 * consecutive ids have a slot each, and finding an event's JSON costs neither hashing its
 * components nor a lock. A slot holds its event weakly: the JSON is dropped once the
 * event is neither in the history nor in a response.
 */
final class CloseEventJsonCache {

	static final int SLOTS = 1 << 14;

	private final AtomicReferenceArray<@Nullable Json> slots = new AtomicReferenceArray<>(SLOTS);

	private final ReferenceQueue<CloseEvent> collected = new ReferenceQueue<>();

	private final Function<CloseEvent, byte[]> serializer;

	CloseEventJsonCache(Function<CloseEvent, byte[]> serializer) {
		this.serializer = serializer;
	}

	byte[] json(CloseEvent event) {
		int slot = (int) event.id() & (SLOTS - 1);
		Json json = this.slots.get(slot);
		if (json != null && json.get() == event) {
			return json.bytes;
		}
		dropCollected();
		byte[] bytes = this.serializer.apply(event);
		this.slots.set(slot, new Json(event, slot, bytes, this.collected));
		return bytes;
	}

	/**
	 * Package private. For testing only.
	 */
	int size() {
		dropCollected();
		int size = 0;
		for (int slot = 0; slot < SLOTS; slot++) {
			if (this.slots.get(slot) != null) {
				size++;
			}
		}
		return size;
	}

	private void dropCollected() {
		@Nullable Reference<? extends CloseEvent> collected;
		while ((collected = this.collected.poll()) != null) {
			Json json = (Json) collected;
			this.slots.compareAndSet(json.slot, json, null);
		}
	}

	private static final class Json extends WeakReference<CloseEvent> {

		private final int slot;

		private final byte[] bytes;

		Json(CloseEvent event, int slot, byte[] bytes, ReferenceQueue<CloseEvent> collected) {
			super(event, collected);
			this.slot = slot;
			this.bytes = bytes;
		}

	}

}
