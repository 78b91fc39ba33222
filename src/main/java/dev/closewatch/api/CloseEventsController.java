package dev.closewatch.api;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import dev.closewatch.closeevent.CloseEvent;
import dev.closewatch.history.CloseEventHistory;
import dev.closewatch.history.CloseEventQuery;
import dev.closewatch.upstream.Upstreams;
import org.jspecify.annotations.Nullable;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Lists recorded close events, newest first, filtered and paged by cursor. Parameters are
 * taken as text and parsed here, so that every bad value becomes a 400 problem naming it;
 * an {@code upstream} filter naming neither a monitored upstream nor one with recorded
 * events (such as one removed while running) is a 404, since it can never match. See
 * {@code docs/api.md}.
 */
@RestController
@RequestMapping("/api/v1/close-events")
class CloseEventsController {

	private static final int DEFAULT_LIMIT = 100;

	private static final int MAX_LIMIT = 1000;

	private final CloseEventHistory history;

	private final Upstreams upstreams;

	CloseEventsController(CloseEventHistory history, Upstreams upstreams) {
		this.history = history;
		this.upstreams = upstreams;
	}

	@GetMapping
	CloseEventPage closeEvents(@RequestParam(name = "upstream", required = false) @Nullable String upstream,
			@RequestParam(name = "code", required = false) @Nullable String code,
			@RequestParam(name = "wasClean", required = false) @Nullable String wasClean,
			@RequestParam(name = "since", required = false) @Nullable String since,
			@RequestParam(name = "until", required = false) @Nullable String until,
			@RequestParam(name = "limit", required = false) @Nullable String limit,
			@RequestParam(name = "cursor", required = false) @Nullable String cursor) {
		String upstreamName = QueryParameters.text("upstream", upstream);
		Integer codeValue = QueryParameters.integer("code", code, 0, 65535);
		Boolean wasCleanValue = QueryParameters.bool("wasClean", wasClean);
		Instant sinceValue = QueryParameters.instant("since", since);
		Instant untilValue = QueryParameters.instant("until", until);
		if (sinceValue != null && untilValue != null && sinceValue.isAfter(untilValue)) {
			throw new InvalidParameterException("until", Objects.requireNonNull(until),
					"must not be before since (" + since + ")");
		}
		int pageSize = Objects.requireNonNullElse(QueryParameters.integer("limit", limit, 1, MAX_LIMIT), DEFAULT_LIMIT);
		Long beforeId = (cursor != null) ? CloseEventCursor.decode(cursor) : null;
		// an upstream removed while running is no longer monitored, but its history is
		// kept
		if (upstreamName != null && !this.upstreams.contains(upstreamName)
				&& this.history.find(new CloseEventQuery(upstreamName, null, null, null, null, null, 1)).isEmpty()) {
			throw new UnknownUpstreamException("upstream", upstreamName);
		}
		// one more than asked tells whether another page exists
		CloseEventQuery query = new CloseEventQuery(upstreamName, codeValue, wasCleanValue, sinceValue, untilValue,
				beforeId, pageSize + 1);
		List<CloseEvent> found = this.history.find(query);
		if (found.size() <= pageSize) {
			return new CloseEventPage(found, null);
		}
		List<CloseEvent> items = found.subList(0, pageSize);
		return new CloseEventPage(items, CloseEventCursor.after(items.get(pageSize - 1)));
	}

}
