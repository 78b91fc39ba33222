package dev.closewatch.history;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.closewatch.closeevent.CloseEvent;
import dev.closewatch.history.Availability.Sessions;
import dev.closewatch.history.CloseEventSummary.Group;
import dev.closewatch.history.SummaryQuery.Grouping;
import org.jspecify.annotations.Nullable;

/**
 * {@link CloseEventStatistics} of the {@code memory} store, computed over its bounded
 * ring. closewatch is monitored from the start of this process, or, once the ring has
 * evicted events, from the oldest event it kept: before that, sessions may be missing.
 */
class InMemoryCloseEventStatistics implements CloseEventStatistics {

	private static final Comparator<Interval> LONGEST_FIRST = Comparator.comparing(Interval::length)
		.reversed()
		.thenComparing(Interval::start);

	private final InMemoryCloseEventHistory history;

	private final Instant startedAt;

	private final Clock clock;

	InMemoryCloseEventStatistics(InMemoryCloseEventHistory history, Instant startedAt, Clock clock) {
		this.history = history;
		this.startedAt = startedAt;
		this.clock = clock;
	}

	@Override
	public Availability availability(AvailabilityQuery query) {
		ObservedWindow window = ObservedWindow.of(query, this.clock.instant());
		List<CloseEvent> events = this.history
			.find(new CloseEventQuery(query.upstream(), null, null, null, null, null, Integer.MAX_VALUE));
		List<Interval> monitored = monitored(window);
		List<CloseEvent> sessions = new ArrayList<>();
		List<Duration> durations = new ArrayList<>();
		long closes = 0;
		long unclean = 0;
		for (CloseEvent event : events) {
			if (event.openedAt() != null) {
				sessions.add(event);
			}
			if (!event.closedAt().isBefore(query.since()) && event.closedAt().isBefore(query.until())) {
				closes++;
				unclean += event.wasClean() ? 0 : 1;
				if (event.openedAt() != null) {
					durations.add(event.duration());
				}
			}
		}
		sessions.sort(Comparator.comparing(CloseEvent::openedAt).thenComparingLong(CloseEvent::id));
		Interval live = window.liveSession(query.openSince());
		List<Interval> open = new ArrayList<>();
		sessions.forEach((session) -> open.add(span(session).clip(window.since(), window.end())));
		if (live != null) {
			open.add(live);
		}
		return window.availability(monitored, Intervals.total(Intervals.union(open)), closes, unclean,
				sessions(durations), longestOutage(window, sessions, live, monitored));
	}

	@Override
	public CloseEventSummary summary(SummaryQuery query) {
		List<CloseEvent> events = this.history
			.find(new CloseEventQuery(null, null, null, query.since(), query.until(), null, Integer.MAX_VALUE));
		Map<String, long[]> counts = new HashMap<>();
		long unclean = 0;
		for (CloseEvent event : events) {
			long[] count = counts.computeIfAbsent(key(event, query.by()), (key) -> new long[2]);
			count[0]++;
			if (!event.wasClean()) {
				count[1]++;
				unclean++;
			}
		}
		Comparator<Group> byKey = (query.by() == Grouping.CODE)
				? Comparator.comparingInt((group) -> Integer.parseInt(group.key())) : Comparator.comparing(Group::key);
		List<Group> groups = counts.entrySet()
			.stream()
			.map((entry) -> new Group(entry.getKey(), entry.getValue()[0], entry.getValue()[1]))
			.sorted(Comparator.comparingLong(Group::count).reversed().thenComparing(byKey))
			.limit(query.limit())
			.toList();
		return new CloseEventSummary(events.size(), unclean, groups);
	}

	private List<Interval> monitored(ObservedWindow window) {
		Instant complete = this.history.completeSince();
		Instant from = (complete != null && complete.isAfter(this.startedAt)) ? complete : this.startedAt;
		return Intervals.union(List.of(new Interval(from, window.end()).clip(window.since(), window.end())));
	}

	// the gap before each session, from the latest close of the sessions opened before it
	private static @Nullable Interval longestOutage(ObservedWindow window, List<CloseEvent> sessions,
			@Nullable Interval live, List<Interval> monitored) {
		List<Interval> spans = new ArrayList<>(sessions.stream().map(InMemoryCloseEventStatistics::span).toList());
		if (live != null) {
			spans.add(live);
		}
		spans.add(new Interval(window.end(), window.end()));
		List<Interval> gaps = new ArrayList<>();
		Instant previousClose = null;
		for (Interval span : spans) {
			Interval gap = new Interval((previousClose != null) ? previousClose : window.since(), span.start())
				.clip(window.since(), window.end());
			if (!gap.length().isZero()) {
				gaps.add(gap);
			}
			if (previousClose == null || span.end().isAfter(previousClose)) {
				previousClose = span.end();
			}
		}
		gaps.sort(LONGEST_FIRST);
		LongestOutage outage = new LongestOutage(monitored);
		for (Interval gap : gaps) {
			if (!outage.offer(gap)) {
				break;
			}
		}
		return outage.longest();
	}

	private static Interval span(CloseEvent session) {
		return new Interval(session.openedAt(), session.closedAt());
	}

	private static Sessions sessions(List<Duration> durations) {
		if (durations.isEmpty()) {
			return Sessions.of(0, 0, 0);
		}
		long[] nanos = durations.stream().mapToLong(Duration::toNanos).sorted().toArray();
		int count = nanos.length;
		long median = (count % 2 == 1) ? nanos[count / 2] : (nanos[count / 2 - 1] + nanos[count / 2]) / 2;
		long total = 0;
		for (long value : nanos) {
			total += value;
		}
		return Sessions.of(count, total, median);
	}

	private static String key(CloseEvent event, Grouping by) {
		return switch (by) {
			case UPSTREAM -> event.upstream();
			case CODE -> Integer.toString(event.code());
			case ERROR -> (event.error() != null) ? event.error() : CloseEventSummary.NO_ERROR;
		};
	}

}
