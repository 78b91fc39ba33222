package dev.closewatch.api;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.closewatch.closeevent.CloseEvent;
import dev.closewatch.history.CloseEventHistory;
import dev.closewatch.history.CloseEventQuery;
import dev.closewatch.history.InMemoryCloseEventHistory;
import dev.closewatch.upstream.Upstreams;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

import static dev.closewatch.history.TestCloseEvents.closeEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.given;

@WebMvcTest(CloseEventsController.class)
@Import(CloseEventsControllerTests.HistoryConfiguration.class)
class CloseEventsControllerTests {

	private static final int EVENTS = 250;

	private static final int[] CODES = { 1000, 1001, 1006, 4000, 1011 };

	@Autowired
	private MockMvcTester mvc;

	@Autowired
	private JsonMapper jsonMapper;

	@Autowired
	private CloseEventHistory history;

	@MockitoBean
	private Upstreams upstreams;

	@BeforeEach
	void knowTwoUpstreams() {
		List<String> names = List.of("chat", "prices");
		given(this.upstreams.names()).willReturn(names);
		given(this.upstreams.contains(anyString()))
			.willAnswer((invocation) -> names.contains(invocation.<String>getArgument(0)));
	}

	@Test
	void returnsNewestHundredFirstByDefault() {
		MvcTestResult result = this.mvc.get().uri("/api/v1/close-events").exchange();

		assertThat(result).hasStatusOk().hasContentType(MediaType.APPLICATION_JSON);
		assertThat(ids(result)).hasSize(100).startsWith(250L, 249L, 248L).endsWith(151L);
		assertThat(result).bodyJson().extractingPath("$.next").isNotNull();
	}

	@Test
	void rendersCloseEventWithIsoInstantsAndDurationAndNullFields() {
		assertThat(this.mvc.get().uri("/api/v1/close-events").param("limit", "1")).bodyJson().isLenientlyEqualTo("""
				{
				  "items": [{
				    "id": 250,
				    "upstream": "prices",
				    "startedAt": "2026-11-25T10:04:07.400Z",
				    "openedAt": "2026-11-25T10:04:07.500Z",
				    "closedAt": "2026-11-25T10:04:10Z",
				    "duration": "PT2.5S",
				    "code": 1000,
				    "reason": "bye",
				    "wasClean": true,
				    "errorEvent": false,
				    "initiator": "SERVER",
				    "phase": "OPEN",
				    "handshakeStatus": null,
				    "error": null,
				    "errorMessage": null,
				    "attempt": 1,
				    "messagesReceived": 0,
				    "wireCode": null,
				    "wireReason": null
				  }]
				}
				""");
	}

	@Test
	void filtersByUpstream() {
		MvcTestResult result = this.mvc.get().uri("/api/v1/close-events?upstream=chat&limit=3").exchange();

		assertThat(ids(result)).containsExactly(249L, 247L, 245L);
	}

	@Test
	void filtersByCode() {
		MvcTestResult result = this.mvc.get().uri("/api/v1/close-events?code=1006&limit=3").exchange();

		assertThat(ids(result)).containsExactly(247L, 242L, 237L);
	}

	@Test
	void filtersByWasClean() {
		MvcTestResult result = this.mvc.get().uri("/api/v1/close-events?wasClean=false&limit=1000").exchange();

		assertThat(ids(result)).hasSize(50).allMatch((id) -> CODES[(int) (id % CODES.length)] == 1006);
	}

	@Test
	void includesSinceAndExcludesUntil() {
		MvcTestResult result = this.mvc.get()
			.uri("/api/v1/close-events?since=2026-11-25T10:00:10Z&until=2026-11-25T10:00:13Z")
			.exchange();

		assertThat(ids(result)).containsExactly(12L, 11L, 10L);
	}

	@Test
	void acceptsInstantsWithOffset() {
		MvcTestResult result = this.mvc.get()
			.uri("/api/v1/close-events?since={since}&until={until}", "2026-11-25T11:00:10+01:00",
					"2026-11-25T11:00:11+01:00")
			.exchange();

		assertThat(ids(result)).containsExactly(10L);
	}

	@Test
	void combinesFilters() {
		MvcTestResult result = this.mvc.get()
			.uri("/api/v1/close-events?upstream=prices&code=1006&wasClean=false&since=2026-11-25T10:00:00Z&limit=2")
			.exchange();

		assertThat(ids(result)).containsExactly(242L, 232L);
	}

	@Test
	void pagesThroughEveryEventWithoutLossOrRepeat() {
		List<Long> seen = new ArrayList<>();
		String next = null;
		int pages = 0;
		do {
			MvcTestResult result = (next != null)
					? this.mvc.get().uri("/api/v1/close-events?upstream=prices&limit=7&cursor={c}", next).exchange()
					: this.mvc.get().uri("/api/v1/close-events?upstream=prices&limit=7").exchange();
			assertThat(result).hasStatusOk();
			seen.addAll(ids(result));
			next = body(result).get("next").asString(null);
			pages++;
		}
		while (next != null);

		List<Long> expected = new ArrayList<>();
		for (long id = EVENTS; id > 0; id -= 2) {
			expected.add(id);
		}
		assertThat(seen).containsExactlyElementsOf(expected);
		assertThat(pages).isEqualTo(18);
	}

	@Test
	void returnsNullNextWhenTheLastPageIsExactlyFull() {
		MvcTestResult result = this.mvc.get().uri("/api/v1/close-events?upstream=chat&limit=125").exchange();

		assertThat(ids(result)).hasSize(125);
		assertThat(result).bodyJson().extractingPath("$.next").isNull();
	}

	@Test
	void returnsEmptyItemsWhenNothingMatches() {
		assertThat(this.mvc.get().uri("/api/v1/close-events?code=4999")).hasStatusOk().bodyJson().isStrictlyEqualTo("""
				{"items": [], "next": null}
				""");
	}

	@Test
	void returnsEmptyItemsWhenSinceEqualsUntil() {
		MvcTestResult result = this.mvc.get()
			.uri("/api/v1/close-events?since=2026-11-25T10:00:10Z&until=2026-11-25T10:00:10Z")
			.exchange();

		assertThat(ids(result)).isEmpty();
	}

	@ParameterizedTest(name = "{0}={1}")
	@CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
			code     | abc                  | must be an integer from 0 to 65535
			code     | -1                   | must be an integer from 0 to 65535
			code     | 65536                | must be an integer from 0 to 65535
			code     | 1000.0               | must be an integer from 0 to 65535
			code     | ""                   | must be an integer from 0 to 65535
			wasClean | yes                  | must be 'true' or 'false'
			wasClean | TRUE                 | must be 'true' or 'false'
			since    | yesterday            | must be an ISO-8601 instant
			since    | 2026-11-25           | must be an ISO-8601 instant
			until    | 2026-13-01T00:00:00Z | must be an ISO-8601 instant
			since    | 3000-01-01T00:00:00Z | must be an instant from 1970-01-01T00:00:00Z to 2262-01-01T00:00:00Z
			until    | 1969-12-31T23:59:59Z | must be an instant from 1970-01-01T00:00:00Z to 2262-01-01T00:00:00Z
			limit    | 0                    | must be an integer from 1 to 1000
			limit    | 1001                 | must be an integer from 1 to 1000
			limit    | ten                  | must be an integer from 1 to 1000
			limit    | 99999999999          | must be an integer from 1 to 1000
			limit    | +66                  | must be an integer from 1 to 1000
			limit    | ٦٦                   | must be an integer from 1 to 1000
			cursor   | !!!                  | must be a 'next' value of an earlier page
			cursor   | YWJj                 | must be a 'next' value of an earlier page
			cursor   | LTU                  | must be a 'next' value of an earlier page
			cursor   | ""                   | must be a 'next' value of an earlier page
			upstream | ""                   | must not be empty
			""")
	void rejectsInvalidParameterWithProblemNamingIt(String parameter, String value, String requirement) {
		MvcTestResult result = this.mvc.get().uri("/api/v1/close-events").param(parameter, value).exchange();

		assertInvalidParameter(result, parameter, value, requirement);
	}

	@Test
	void rejectsLimitAboveOneThousand() {
		MvcTestResult result = this.mvc.get().uri("/api/v1/close-events?limit=1001").exchange();

		assertInvalidParameter(result, "limit", "1001", "must be an integer from 1 to 1000");
	}

	@Test
	void rejectsSinceAfterUntil() {
		MvcTestResult result = this.mvc.get()
			.uri("/api/v1/close-events?since=2026-11-25T10:00:10Z&until=2026-11-25T10:00:09Z")
			.exchange();

		assertInvalidParameter(result, "until", "2026-11-25T10:00:09Z",
				"must not be before since (2026-11-25T10:00:10Z)");
	}

	@Test
	void rejectsRepeatedParameter() {
		MvcTestResult result = this.mvc.get().uri("/api/v1/close-events?limit=1&limit=2").exchange();

		assertInvalidParameter(result, "limit", "1,2", "must be an integer from 1 to 1000");
	}

	@Test
	void rejectsBadParameterBeforeLookingUpTheUpstream() {
		MvcTestResult result = this.mvc.get().uri("/api/v1/close-events?upstream=nope&limit=0").exchange();

		assertThat(result).hasStatus(HttpStatus.BAD_REQUEST);
	}

	@Test
	void returnsNotFoundProblemForUnknownUpstreamFilter() {
		MvcTestResult result = this.mvc.get().uri("/api/v1/close-events?upstream=nope").exchange();

		assertThat(result).hasStatus(HttpStatus.NOT_FOUND).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(result).bodyJson().isStrictlyEqualTo("""
				{
				  "type": "https://closewatch.dev/problems/unknown-upstream",
				  "title": "Unknown upstream",
				  "status": 404,
				  "detail": "No upstream is named 'nope' (parameter 'upstream')",
				  "instance": "/api/v1/close-events",
				  "parameter": "upstream"
				}
				""");
	}

	@Test
	void listsTheKeptHistoryOfAnUpstreamNoLongerMonitored() {
		given(this.upstreams.contains("chat")).willReturn(false);

		MvcTestResult result = this.mvc.get().uri("/api/v1/close-events?upstream=chat&limit=5").exchange();

		assertThat(result).hasStatusOk();
		assertThat(ids(result)).containsExactly(249L, 247L, 245L, 243L, 241L);
	}

	@Test
	void returnsNotFoundForUnknownPath() {
		assertThat(this.mvc.get().uri("/api/v1/close-events/1")).hasStatus(HttpStatus.NOT_FOUND);
	}

	private void assertInvalidParameter(MvcTestResult result, String parameter, String value, String requirement) {
		assertThat(result).hasStatus(HttpStatus.BAD_REQUEST).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
		JsonNode problem = body(result);
		assertThat(problem.get("type").asString()).isEqualTo("https://closewatch.dev/problems/invalid-parameter");
		assertThat(problem.get("title").asString()).isEqualTo("Invalid parameter");
		assertThat(problem.get("status").asInt()).isEqualTo(400);
		assertThat(problem.get("parameter").asString()).isEqualTo(parameter);
		assertThat(problem.get("instance").asString()).isEqualTo("/api/v1/close-events");
		assertThat(problem.get("detail").asString()).startsWith("Parameter '" + parameter + "' " + requirement)
			.endsWith(", but was '" + value + "'");
	}

	@Test
	void writesEachPageByteForByteAsTheApplicationsJsonMapperWould() throws Exception {
		MvcTestResult result = this.mvc.get().uri("/api/v1/close-events?limit=3").exchange();

		List<CloseEvent> items = this.history.find(new CloseEventQuery(null, null, null, null, null, null, 3));
		CloseEventPage page = new CloseEventPage(items, CloseEventCursor.after(items.get(2)));
		assertThat(result.getResponse().getContentAsString(StandardCharsets.UTF_8))
			.isEqualTo(this.jsonMapper.writeValueAsString(page));
	}

	@Test
	void writesPagesWithTheCachingConverterAheadOfJackson(@Autowired RequestMappingHandlerAdapter adapter) {
		List<Class<?>> converters = adapter.getMessageConverters().stream().<Class<?>>map(Object::getClass).toList();

		assertThat(converters).contains(CloseEventPageJsonConverter.class);
		assertThat(converters.indexOf(CloseEventPageJsonConverter.class))
			.isLessThan(converters.indexOf(JacksonJsonHttpMessageConverter.class));
	}

	private JsonNode body(MvcTestResult result) {
		return this.jsonMapper.readTree(result.getResponse().getContentAsByteArray());
	}

	private List<Long> ids(MvcTestResult result) {
		assertThat(result).hasStatusOk();
		List<Long> ids = new ArrayList<>();
		body(result).get("items").forEach((item) -> ids.add(item.get("id").asLong()));
		return ids;
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class HistoryConfiguration {

		@Bean
		CloseEventHistory closeEventHistory() {
			InMemoryCloseEventHistory history = new InMemoryCloseEventHistory(10_000);
			for (int id = 1; id <= EVENTS; id++) {
				int code = CODES[id % CODES.length];
				history.record(closeEvent(id).upstream((id % 2 == 0) ? "prices" : "chat")
					.code(code)
					.wasClean(code != 1006)
					.reason("bye")
					.build());
			}
			return history;
		}

	}

}
