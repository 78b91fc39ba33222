package dev.closewatch.history;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * Filters and page for {@link CloseEventHistory#find}. {@code null} means "any".
 *
 * @param upstream only events of this upstream
 * @param code only events with this browser-view code
 * @param wasClean only events with this {@code wasClean}
 * @param since only events closed at or after this instant
 * @param until only events closed before this instant
 * @param beforeId only events with an id lower than this (the paging cursor)
 * @param limit the maximum number of events to return
 */
public record CloseEventQuery(@Nullable String upstream, @Nullable Integer code, @Nullable Boolean wasClean,
		@Nullable Instant since, @Nullable Instant until, @Nullable Long beforeId, int limit) {

}
