package dev.closewatch.api;

import java.time.Clock;
import java.util.Locale;
import java.util.Objects;

import dev.closewatch.history.CloseEventStatistics;
import dev.closewatch.history.SummaryQuery;
import dev.closewatch.history.SummaryQuery.Grouping;
import org.jspecify.annotations.Nullable;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Counts the closes of every upstream in a window, in total and for the largest groups by
 * upstream, code or error. See {@code docs/api.md}.
 */
@RestController
@RequestMapping("/api/v1/close-events")
class CloseEventSummaryController {

	private static final int DEFAULT_LIMIT = 10;

	private static final int MAX_LIMIT = 1000;

	private final CloseEventStatistics statistics;

	private final Clock clock;

	CloseEventSummaryController(CloseEventStatistics statistics, Clock clock) {
		this.statistics = statistics;
		this.clock = clock;
	}

	@GetMapping("/summary")
	CloseEventSummaryResponse summary(@RequestParam(name = "since", required = false) @Nullable String since,
			@RequestParam(name = "until", required = false) @Nullable String until,
			@RequestParam(name = "by", required = false) @Nullable String by,
			@RequestParam(name = "limit", required = false) @Nullable String limit) {
		TimeWindow window = TimeWindow.parse(since, until, this.clock.instant());
		Grouping grouping = grouping(by);
		int groups = Objects.requireNonNullElse(QueryParameters.integer("limit", limit, 1, MAX_LIMIT), DEFAULT_LIMIT);
		SummaryQuery query = new SummaryQuery(window.since(), window.until(), grouping, groups);
		return CloseEventSummaryResponse.of(window, grouping.name().toLowerCase(Locale.ROOT),
				this.statistics.summary(query));
	}

	private static Grouping grouping(@Nullable String by) {
		if (by == null) {
			return Grouping.UPSTREAM;
		}
		return switch (by) {
			case "upstream" -> Grouping.UPSTREAM;
			case "code" -> Grouping.CODE;
			case "error" -> Grouping.ERROR;
			default -> throw new InvalidParameterException("by", by, "must be 'upstream', 'code' or 'error'");
		};
	}

}
