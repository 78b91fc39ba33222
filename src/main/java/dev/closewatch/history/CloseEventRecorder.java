package dev.closewatch.history;

import dev.closewatch.closeevent.CloseEvent;
import dev.closewatch.closeevent.CloseEventListenerOrder;

import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;

/**
 * Records each published {@link CloseEvent} into the {@link CloseEventHistory}.
 */
class CloseEventRecorder {

	private final CloseEventHistory history;

	CloseEventRecorder(CloseEventHistory history) {
		this.history = history;
	}

	@EventListener
	@Order(CloseEventListenerOrder.RECORD)
	void onClose(CloseEvent event) {
		this.history.record(event);
	}

}
