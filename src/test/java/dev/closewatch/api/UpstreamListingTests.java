package dev.closewatch.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import com.jayway.jsonpath.JsonPath;
import dev.closewatch.upstream.RecentCloses;
import dev.closewatch.upstream.UpstreamState;
import dev.closewatch.upstream.UpstreamStatus;
import dev.closewatch.upstream.Upstreams;
import org.jspecify.annotations.Nullable;
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

import static dev.closewatch.history.TestCloseEvents.closeEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;

/**
 * {@code GET /api/v1/upstreams} filtered, sorted and paged, and its summary.
 */
@WebMvcTest(UpstreamsController.class)
@Import(FixedApiClock.class)
class UpstreamListingTests {

	private static final Instant DOWN_SINCE = Instant.parse("2026-11-25T10:00:00Z");

	@Autowired
	private MockMvcTester mvc;

	@MockitoBean
	private Upstreams upstreams;

	@Test
	void keepsThePlainArrayForRequestsWithoutLimitOrCursorAndPointsToThePagedOne() {
		given(this.upstreams.statuses()).willReturn(List.of(open("a"), open("b")));

		MvcTestResult result = this.mvc.get().uri("/api/v1/upstreams").exchange();

		assertThat(result).hasStatusOk().hasHeader("Deprecation", "true");
		assertThat(result.getResponse().getHeader("Link"))
			.isEqualTo("</api/v1/upstreams?limit=100>; rel=\"successor-version\"");
		assertThat(result).bodyJson().extractingPath("$[*].name").asArray().containsExactly("a", "b");
	}

	@Test
	void pagesThroughEveryMatchingUpstreamOnceInOrder() {
		List<UpstreamStatus> all = IntStream.rangeClosed(1, 25).mapToObj((i) -> open("u%02d".formatted(i))).toList();
		given(this.upstreams.statuses()).willReturn(all);

		List<String> seen = new ArrayList<>();
		String cursor = null;
		int pages = 0;
		do {
			String body = page("/api/v1/upstreams?limit=10" + ((cursor != null) ? "&cursor=" + cursor : ""));
			seen.addAll(JsonPath.read(body, "$.items[*].name"));
			assertThat((Integer) JsonPath.read(body, "$.total")).isEqualTo(25);
			cursor = JsonPath.read(body, "$.next");
			pages++;
		}
		while (cursor != null && pages < 10);

		assertThat(pages).isEqualTo(3);
		assertThat(seen).isEqualTo(all.stream().map(UpstreamStatus::name).toList());
	}

	@Test
	void sortsTheUpstreamsNeedingAttentionFirstAndPagesInThatOrder() {
		given(this.upstreams.statuses()).willReturn(List.of(open("a-open"), state("b-stopped", UpstreamState.STOPPED),
				flapping("c-flapping"), state("d-waiting", UpstreamState.WAITING_TO_RECONNECT),
				state("e-gave-up", UpstreamState.GAVE_UP), state("f-waiting", UpstreamState.WAITING_TO_RECONNECT)));

		String first = page("/api/v1/upstreams?sort=attention&limit=3");
		String second = page("/api/v1/upstreams?sort=attention&limit=3&cursor=" + JsonPath.read(first, "$.next"));

		assertThat((List<String>) JsonPath.read(first, "$.items[*].name")).containsExactly("e-gave-up", "d-waiting",
				"f-waiting");
		assertThat((List<String>) JsonPath.read(second, "$.items[*].name")).containsExactly("c-flapping", "a-open",
				"b-stopped");
		assertThat((Object) JsonPath.read(second, "$.next")).isNull();
	}

	@Test
	void filtersByStateNameAndFlappingTogether() {
		given(this.upstreams.statuses()).willReturn(List.of(open("prices-eu"), flapping("prices-us"),
				state("prices-asia", UpstreamState.GAVE_UP), open("chat")));

		assertThat(names("/api/v1/upstreams?limit=10&q=PRICES")).containsExactly("prices-eu", "prices-us",
				"prices-asia");
		assertThat(names("/api/v1/upstreams?limit=10&q=prices&state=open")).containsExactly("prices-eu", "prices-us");
		assertThat(names("/api/v1/upstreams?limit=10&state=GAVE_UP,OPEN&flapping=false")).containsExactly("prices-eu",
				"prices-asia", "chat");
		assertThat(names("/api/v1/upstreams?limit=10&state=GAVE_UP&state=OPEN&flapping=true"))
			.containsExactly("prices-us");
	}

	@Test
	void showsHowOftenAnUpstreamClosedLately() {
		given(this.upstreams.statuses()).willReturn(List.of(flapping("prices")));

		assertThat(this.mvc.get().uri("/api/v1/upstreams?limit=1")).bodyJson().isLenientlyEqualTo("""
				{"items": [{"name": "prices", "closesLastHour": 7, "uncleanClosesLastHour": 5, "flapping": true}],
				 "next": null, "total": 1}
				""");
	}

	@Test
	void refusesACursorMadeForOtherFilters() {
		given(this.upstreams.statuses()).willReturn(List.of(open("a"), open("b"), open("c")));
		String next = JsonPath.read(page("/api/v1/upstreams?limit=1&state=OPEN"), "$.next");

		assertThat(this.mvc.get().uri("/api/v1/upstreams?limit=1&cursor=" + next)).hasStatus(HttpStatus.BAD_REQUEST)
			.bodyJson()
			.extractingPath("$.parameter")
			.isEqualTo("cursor");
		assertThat(this.mvc.get().uri("/api/v1/upstreams?limit=1&state=OPEN&sort=attention&cursor=" + next))
			.hasStatus(HttpStatus.BAD_REQUEST)
			.bodyJson()
			.extractingPath("$.parameter")
			.isEqualTo("cursor");
	}

	@ParameterizedTest
	@CsvSource({ "state=BOGUS, state", "state=OPEN%2C, state", "q=, q", "flapping=maybe, flapping", "sort=newest, sort",
			"limit=0, limit", "limit=1001, limit", "cursor=not-a-cursor, cursor", "cursor=dTE6bmFtZTo6OTph, cursor",
			"label=team, label" })
	void namesTheBadParameter(String query, String parameter) {
		given(this.upstreams.statuses()).willReturn(List.of(open("a")));

		assertThat(this.mvc.get().uri("/api/v1/upstreams?" + query)).hasStatus(HttpStatus.BAD_REQUEST)
			.hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
			.bodyJson()
			.extractingPath("$.parameter")
			.isEqualTo(parameter);
	}

	@Test
	void summarisesStatesLastCodesAndTheWorstUpstreams() {
		UpstreamStatus longDown = new UpstreamStatus("orders", "wss://o", UpstreamState.GAVE_UP, null,
				DOWN_SINCE.minusSeconds(600), 5, null, closeEvent(1).code(1006).build(), 0, Map.of(),
				new RecentCloses(2, 2, 0));
		given(this.upstreams.statuses()).willReturn(List.of(open("chat"), flapping("prices"), longDown,
				state("quotes", UpstreamState.WAITING_TO_RECONNECT)));

		assertThat(this.mvc.get().uri("/api/v1/upstreams/summary?top=5")).hasStatusOk().bodyJson().isStrictlyEqualTo("""
				{
				  "total": 4,
				  "byState": {"CONNECTING": 0, "OPEN": 2, "CLOSING": 0, "WAITING_TO_RECONNECT": 1, "GAVE_UP": 1,
				              "STOPPED": 0},
				  "flapping": 1,
				  "byLastCloseCode": {"1000": 1, "1006": 2, "none": 1},
				  "mostUnclean": [{"upstream": "prices", "uncleanCloses": 5, "closes": 7},
				                  {"upstream": "orders", "uncleanCloses": 2, "closes": 2}],
				  "longestDown": [{"upstream": "orders", "state": "GAVE_UP", "downSince": "2026-11-25T09:50:00Z"},
				                  {"upstream": "quotes", "state": "WAITING_TO_RECONNECT",
				                   "downSince": "2026-11-25T10:00:00Z"}],
				  "generatedAt": "2026-11-25T10:30:00Z"
				}
				""");
		assertThat(this.mvc.get().uri("/api/v1/upstreams/summary?top=1")).bodyJson()
			.extractingPath("$.mostUnclean[*].upstream")
			.asArray()
			.containsExactly("prices");
		assertThat(this.mvc.get().uri("/api/v1/upstreams/summary?top=0")).hasStatus(HttpStatus.BAD_REQUEST)
			.bodyJson()
			.extractingPath("$.parameter")
			.isEqualTo("top");
	}

	private String page(String uri) {
		MvcTestResult result = this.mvc.get().uri(uri).exchange();
		assertThat(result).hasStatusOk().doesNotContainHeader("Deprecation");
		try {
			return result.getResponse().getContentAsString();
		}
		catch (java.io.UnsupportedEncodingException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private List<String> names(String uri) {
		return JsonPath.read(page(uri), "$.items[*].name");
	}

	private static UpstreamStatus open(String name) {
		return new UpstreamStatus(name, "wss://" + name, UpstreamState.OPEN, DOWN_SINCE, null, 0, null, null, 0);
	}

	private static UpstreamStatus flapping(String name) {
		return new UpstreamStatus(name, "wss://" + name, UpstreamState.OPEN, DOWN_SINCE, null, 0, null,
				closeEvent(2).code(1006).build(), 0, Map.of(), new RecentCloses(7, 5, 4));
	}

	private static UpstreamStatus state(String name, UpstreamState state) {
		@Nullable Instant downSince = (state == UpstreamState.STOPPED) ? null : DOWN_SINCE;
		return new UpstreamStatus(name, "wss://" + name, state, null, downSince, 1, null,
				closeEvent(3).code(1000).build(), 0);
	}

}
