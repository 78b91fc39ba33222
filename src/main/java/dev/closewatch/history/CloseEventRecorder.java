package dev.closewatch.history;

import dev.closewatch.closeevent.CloseEvent;

import org.springframework.context.event.EventListener;

/**
 * Records each published {@link CloseEvent} into the {@link CloseEventHistory}.
 */
class CloseEventRecorder {

	private final CloseEventHistory history;

	CloseEventRecorder(CloseEventHistory history) {
		this.history = history;
	}

	@EventListener
	void onClose(CloseEvent event) {
		this.history.record(event);
	}

}
