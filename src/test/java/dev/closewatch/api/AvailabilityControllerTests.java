package dev.closewatch.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import dev.closewatch.history.Availability;
import dev.closewatch.history.Availability.Outage;
import dev.closewatch.history.Availability.Sessions;
import dev.closewatch.history.AvailabilityQuery;
import dev.closewatch.history.CloseEventStatistics;
import dev.closewatch.upstream.UpstreamState;
import dev.closewatch.upstream.UpstreamStatus;
import dev.closewatch.upstream.Upstreams;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.never;

/**
 * {@code GET /api/v1/upstreams/{name}/availability}: the window it asks the statistics
 * for, the answer's shape, and the problems of bad parameters and unknown upstreams.
 */
@WebMvcTest(AvailabilityController.class)
@Import(AvailabilityControllerTests.FixedClock.class)
class AvailabilityControllerTests {

	static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

	private static final UpstreamStatus PRICES = new UpstreamStatus("prices", "wss://feed.example.com/prices",
			UpstreamState.OPEN, Instant.parse("2026-11-25T11:50:00Z"), null, 0, null, null, 0);

	private static final Availability AVAILABILITY = new Availability(Duration.ofHours(20), Duration.ofHours(4),
			Duration.ofHours(19), 0.95, 12, 5, new Sessions(7, Duration.ofMinutes(150), Duration.ofMinutes(90)),
			new Outage(Instant.parse("2026-11-25T09:00:00Z"), Instant.parse("2026-11-25T09:40:00Z"),
					Duration.ofMinutes(40)));

	@Autowired
	private MockMvcTester mvc;

	@MockitoBean
	private CloseEventStatistics statistics;

	@MockitoBean
	private Upstreams upstreams;

	@BeforeEach
	void knowPrices() {
		given(this.upstreams.status("prices")).willReturn(Optional.of(PRICES));
		given(this.upstreams.status("nope")).willReturn(Optional.empty());
		given(this.statistics.availability(any())).willReturn(AVAILABILITY);
	}

	@Test
	void answersForTheLast24HoursIncludingTheSessionOpenNow() {
		assertThat(this.mvc.get().uri("/api/v1/upstreams/prices/availability")).hasStatusOk()
			.hasContentType(MediaType.APPLICATION_JSON)
			.bodyJson()
			.isStrictlyEqualTo("""
					{
					  "upstream": "prices",
					  "since": "2026-11-24T12:00:00Z",
					  "until": "2026-11-25T12:00:00Z",
					  "monitored": "PT20H",
					  "unknown": "PT4H",
					  "open": "PT19H",
					  "availability": 0.95,
					  "closes": 12,
					  "uncleanCloses": 5,
					  "sessions": { "count": 7, "mean": "PT2H30M", "median": "PT1H30M" },
					  "longestOutage": {
					    "start": "2026-11-25T09:00:00Z",
					    "end": "2026-11-25T09:40:00Z",
					    "duration": "PT40M"
					  }
					}
					""");
		then(this.statistics).should()
			.availability(new AvailabilityQuery("prices", Instant.parse("2026-11-24T12:00:00Z"), NOW,
					Instant.parse("2026-11-25T11:50:00Z")));
	}

	@Test
	void rendersNullsWhenNothingWasMonitored() {
		given(this.statistics.availability(any())).willReturn(new Availability(Duration.ZERO, Duration.ofHours(24),
				Duration.ZERO, null, 0, 0, new Sessions(0, null, null), null));

		assertThat(this.mvc.get().uri("/api/v1/upstreams/prices/availability")).hasStatusOk()
			.bodyJson()
			.isLenientlyEqualTo("""
					{
					  "availability": null,
					  "sessions": { "count": 0, "mean": null, "median": null },
					  "longestOutage": null
					}
					""");
	}

	@Test
	void asksForTheWindowGiven() {
		this.mvc.get()
			.uri("/api/v1/upstreams/prices/availability?since=2026-11-01T00:00:00Z&until=2026-11-08T00:00:00Z")
			.exchange();

		then(this.statistics).should()
			.availability(new AvailabilityQuery("prices", Instant.parse("2026-11-01T00:00:00Z"),
					Instant.parse("2026-11-08T00:00:00Z"), PRICES.openSince()));
	}

	@Test
	void endsTheDefaultWindowAtUntil() {
		this.mvc.get().uri("/api/v1/upstreams/prices/availability?until=2026-11-08T00:00:00Z").exchange();

		then(this.statistics).should()
			.availability(new AvailabilityQuery("prices", Instant.parse("2026-11-07T00:00:00Z"),
					Instant.parse("2026-11-08T00:00:00Z"), PRICES.openSince()));
	}

	@Test
	void acceptsAWindowOfNinetyDays() {
		assertThat(this.mvc.get()
			.uri("/api/v1/upstreams/prices/availability?since=2026-08-27T12:00:00Z&until=2026-11-25T12:00:00Z"))
			.hasStatusOk();
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', quoteCharacter = '"',
			textBlock = """
					since=yesterday                                          | since | yesterday            | must be an ISO-8601 instant
					since=                                                   | since | ""                   | must be an ISO-8601 instant
					until=2026-13-01T00:00:00Z                               | until | 2026-13-01T00:00:00Z | must be an ISO-8601 instant
					since=1969-12-31T23:59:59Z                               | since | 1969-12-31T23:59:59Z | must be an instant from 1970-01-01T00:00:00Z to 2262-01-01T00:00:00Z
					until=3000-01-01T00:00:00Z                               | until | 3000-01-01T00:00:00Z | must be an instant from 1970-01-01T00:00:00Z to 2262-01-01T00:00:00Z
					since=2026-11-25T10:00:00Z&until=2026-11-25T09:00:00Z    | until | 2026-11-25T09:00:00Z | must be after since (2026-11-25T10:00:00Z)
					since=2026-11-25T10:00:00Z&until=2026-11-25T10:00:00Z    | until | 2026-11-25T10:00:00Z | must be after since (2026-11-25T10:00:00Z)
					since=2026-11-26T00:00:00Z                               | since | 2026-11-26T00:00:00Z | must be before now (2026-11-25T12:00:00Z)
					since=2026-08-27T11:59:59Z&until=2026-11-25T12:00:00Z    | since | 2026-08-27T11:59:59Z | must be at most 90 days before until (2026-11-25T12:00:00Z)
					since=2026-11-25T10:00:00Z&since=2026-11-25T11:00:00Z    | since | 2026-11-25T10:00:00Z,2026-11-25T11:00:00Z | must be an ISO-8601 instant
					""")
	void rejectsABadWindowWithAProblemNamingTheParameter(String query, String parameter, String value,
			String requirement) {
		MvcTestResult result = this.mvc.get().uri("/api/v1/upstreams/prices/availability?" + query).exchange();

		assertThat(result).hasStatus(HttpStatus.BAD_REQUEST).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(result).bodyJson().isLenientlyEqualTo("""
				{
				  "type": "https://closewatch.dev/problems/invalid-parameter",
				  "title": "Invalid parameter",
				  "status": 400,
				  "instance": "/api/v1/upstreams/prices/availability",
				  "parameter": "%s"
				}
				""".formatted(parameter));
		assertThat(result).bodyJson()
			.extractingPath("$.detail")
			.asString()
			.startsWith("Parameter '" + parameter + "' " + requirement)
			.endsWith(", but was '" + value + "'");
		then(this.statistics).should(never()).availability(any());
	}

	@Test
	void returnsNotFoundProblemForAnUnknownUpstream() {
		assertThat(this.mvc.get().uri("/api/v1/upstreams/nope/availability")).hasStatus(HttpStatus.NOT_FOUND)
			.hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
			.bodyJson()
			.isStrictlyEqualTo("""
					{
					  "type": "https://closewatch.dev/problems/unknown-upstream",
					  "title": "Unknown upstream",
					  "status": 404,
					  "detail": "No upstream is named 'nope' (parameter 'name')",
					  "instance": "/api/v1/upstreams/nope/availability",
					  "parameter": "name"
					}
					""");
	}

	@Test
	void rejectsABadParameterBeforeLookingUpTheUpstream() {
		assertThat(this.mvc.get().uri("/api/v1/upstreams/nope/availability?since=soon"))
			.hasStatus(HttpStatus.BAD_REQUEST);
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class FixedClock {

		@Bean
		Clock clock() {
			return Clock.fixed(NOW, ZoneOffset.UTC);
		}

	}

}
