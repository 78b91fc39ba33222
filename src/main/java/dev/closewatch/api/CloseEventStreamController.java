package dev.closewatch.api;

import dev.closewatch.upstream.Upstreams;
import org.jspecify.annotations.Nullable;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Streams close events as they are recorded, as Server-Sent Events: {@code event: close},
 * {@code id} the event id, {@code data} the event as in the list. A client that
 * reconnects with {@code Last-Event-ID} first gets the recorded events it missed. See
 * {@code docs/operations.md}.
 */
@RestController
@RequestMapping("/api/v1/close-events")
class CloseEventStreamController {

	static final String LAST_EVENT_ID = "Last-Event-ID";

	private final CloseEventStream stream;

	private final Upstreams upstreams;

	CloseEventStreamController(CloseEventStream stream, Upstreams upstreams) {
		this.stream = stream;
		this.upstreams = upstreams;
	}

	@GetMapping(path = "/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	ResponseEntity<SseEmitter> stream(@RequestParam(name = "upstream", required = false) @Nullable String upstream,
			@RequestHeader(name = LAST_EVENT_ID, required = false) @Nullable String lastEventId) {
		String upstreamName = QueryParameters.text("upstream", upstream);
		Long afterId = eventId(lastEventId);
		if (upstreamName != null && !this.upstreams.contains(upstreamName)) {
			throw new UnknownUpstreamException("upstream", upstreamName);
		}
		// nginx buffers responses unless told otherwise; caches must never keep a stream
		return ResponseEntity.ok()
			.cacheControl(CacheControl.noStore())
			.header("X-Accel-Buffering", "no")
			.body(this.stream.subscribe(upstreamName, afterId));
	}

	// EventSource sends back the last id it saw; an empty one means none
	private static @Nullable Long eventId(@Nullable String value) {
		if (value == null || value.isEmpty()) {
			return null;
		}
		String requirement = "must be the id of a close event";
		try {
			long id = Long.parseLong(value);
			if (id >= 0) {
				return id;
			}
		}
		catch (NumberFormatException ex) {
			throw new InvalidParameterException(LAST_EVENT_ID, value, requirement, ex);
		}
		throw new InvalidParameterException(LAST_EVENT_ID, value, requirement);
	}

}
