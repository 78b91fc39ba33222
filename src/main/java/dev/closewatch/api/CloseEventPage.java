package dev.closewatch.api;

import java.util.List;

import dev.closewatch.closeevent.CloseEvent;
import org.jspecify.annotations.Nullable;

/**
 * One page of close events, newest first.
 *
 * @param items the close events of this page
 * @param next the cursor of the following page, {@code null} when there are no more
 * events
 */
record CloseEventPage(List<CloseEvent> items, @Nullable String next) {

}
