package dev.closewatch.api;

import java.time.Instant;
import java.util.List;

import dev.closewatch.history.CloseEventStatistics;
import dev.closewatch.history.CloseEventSummary;
import dev.closewatch.history.CloseEventSummary.Group;
import dev.closewatch.history.SummaryQuery;
import dev.closewatch.history.SummaryQuery.Grouping;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static dev.closewatch.api.AvailabilityControllerTests.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.never;

/**
 * {@code GET /api/v1/close-events/summary}: the query it asks the statistics, the
 * answer's shape, and the problems of bad parameters.
 */
@WebMvcTest(CloseEventSummaryController.class)
@Import(AvailabilityControllerTests.FixedClock.class)
class CloseEventSummaryControllerTests {

	private static final Instant DAY_BEFORE = Instant.parse("2026-11-24T12:00:00Z");

	@Autowired
	private MockMvcTester mvc;

	@MockitoBean
	private CloseEventStatistics statistics;

	@BeforeEach
	void summarize() {
		given(this.statistics.summary(any()))
			.willReturn(new CloseEventSummary(42, 17, List.of(new Group("prices", 30, 12), new Group("chat", 12, 5))));
	}

	@Test
	void groupsTheLast24HoursByUpstreamByDefault() {
		assertThat(this.mvc.get().uri("/api/v1/close-events/summary")).hasStatusOk()
			.hasContentType(MediaType.APPLICATION_JSON)
			.bodyJson()
			.isStrictlyEqualTo("""
					{
					  "since": "2026-11-24T12:00:00Z",
					  "until": "2026-11-25T12:00:00Z",
					  "by": "upstream",
					  "closes": 42,
					  "uncleanCloses": 17,
					  "groups": [
					    { "key": "prices", "count": 30, "unclean": 12 },
					    { "key": "chat", "count": 12, "unclean": 5 }
					  ]
					}
					""");
		then(this.statistics).should().summary(new SummaryQuery(DAY_BEFORE, NOW, Grouping.UPSTREAM, 10));
	}

	@ParameterizedTest(name = "by={0}")
	@CsvSource({ "upstream, UPSTREAM", "code, CODE", "error, ERROR" })
	void groupsByWhatIsAsked(String by, Grouping grouping) {
		assertThat(this.mvc.get().uri("/api/v1/close-events/summary?by={by}&limit=1000", by)).hasStatusOk()
			.bodyJson()
			.extractingPath("$.by")
			.isEqualTo(by);
		then(this.statistics).should().summary(new SummaryQuery(DAY_BEFORE, NOW, grouping, 1000));
	}

	@Test
	void summarizesTheWindowGiven() {
		this.mvc.get()
			.uri("/api/v1/close-events/summary?since=2026-11-01T00:00:00Z&until=2026-11-02T00:00:00Z&limit=1")
			.exchange();

		then(this.statistics).should()
			.summary(new SummaryQuery(Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-11-02T00:00:00Z"),
					Grouping.UPSTREAM, 1));
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', quoteCharacter = '"',
			textBlock = """
					by=reason                                              | by    | reason               | must be 'upstream', 'code' or 'error'
					by=UPSTREAM                                            | by    | UPSTREAM             | must be 'upstream', 'code' or 'error'
					by=                                                    | by    | ""                   | must be 'upstream', 'code' or 'error'
					limit=0                                                | limit | 0                    | must be an integer from 1 to 1000
					limit=1001                                             | limit | 1001                 | must be an integer from 1 to 1000
					limit=ten                                              | limit | ten                  | must be an integer from 1 to 1000
					since=yesterday                                        | since | yesterday            | must be an ISO-8601 instant
					until=2026-11-25                                       | until | 2026-11-25           | must be an ISO-8601 instant
					since=2026-11-25T10:00:00Z&until=2026-11-25T09:00:00Z  | until | 2026-11-25T09:00:00Z | must be after since (2026-11-25T10:00:00Z)
					since=2026-01-01T00:00:00Z                             | since | 2026-01-01T00:00:00Z | must be at most 90 days before until (2026-11-25T12:00:00Z)
					""")
	void rejectsABadParameterWithAProblemNamingIt(String query, String parameter, String value, String requirement) {
		MvcTestResult result = this.mvc.get().uri("/api/v1/close-events/summary?" + query).exchange();

		assertThat(result).hasStatus(HttpStatus.BAD_REQUEST).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(result).bodyJson().isLenientlyEqualTo("""
				{
				  "type": "https://closewatch.dev/problems/invalid-parameter",
				  "status": 400,
				  "instance": "/api/v1/close-events/summary",
				  "parameter": "%s"
				}
				""".formatted(parameter));
		assertThat(result).bodyJson()
			.extractingPath("$.detail")
			.asString()
			.startsWith("Parameter '" + parameter + "' " + requirement)
			.endsWith(", but was '" + value + "'");
		then(this.statistics).should(never()).summary(any());
	}

}
