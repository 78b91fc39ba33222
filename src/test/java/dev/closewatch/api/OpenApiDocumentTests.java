package dev.closewatch.api;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document served at {@code /v3/api-docs} documents every {@code /api/v1}
 * endpoint the application maps, with its problem responses.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class OpenApiDocumentTests {

	@LocalServerPort
	private int port;

	@Autowired
	private JsonMapper jsonMapper;

	@Autowired
	@Qualifier("requestMappingHandlerMapping")
	private RequestMappingHandlerMapping handlerMapping;

	private JsonNode document;

	@BeforeEach
	void fetchDocument() throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/v3/api-docs")).build(),
					BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		this.document = this.jsonMapper.readTree(response.body());
	}

	@Test
	void isOpenApi3WithTheApiTitle() {
		assertThat(this.document.get("openapi").asString()).startsWith("3.");
		assertThat(this.document.at("/info/title").asString()).isEqualTo("closewatch API");
	}

	@Test
	void documentsEveryMappedApiEndpointAndNothingElse() {
		List<String> mapped = new ArrayList<>();
		this.handlerMapping.getHandlerMethods().forEach((info, method) -> info.getPatternValues().forEach((pattern) -> {
			if (pattern.startsWith("/api/v1")) {
				info.getMethodsCondition()
					.getMethods()
					.forEach((verb) -> mapped.add(verb.name().toLowerCase(Locale.ROOT) + " " + pattern));
			}
		}));
		List<String> documented = new ArrayList<>();
		this.document.get("paths")
			.properties()
			.forEach((path) -> path.getValue()
				.propertyNames()
				.forEach((verb) -> documented.add(verb + " " + path.getKey())));

		assertThat(mapped).contains("get /api/v1/upstreams", "get /api/v1/upstreams/{name}", "get /api/v1/close-events",
				"get /api/v1/close-events/stream", "get /api/v1/upstreams/{name}/availability",
				"get /api/v1/close-events/summary");
		assertThat(documented).containsExactlyInAnyOrderElementsOf(mapped);
	}

	@Test
	void documentsProblemResponses() {
		JsonNode paths = this.document.get("paths");

		assertThat(problemTypes(paths.at("/~1api~1v1~1close-events/get/responses"))).containsExactly("400", "404");
		assertThat(problemTypes(paths.at("/~1api~1v1~1close-events~1stream/get/responses"))).containsExactly("400",
				"404");
		assertThat(problemTypes(paths.at("/~1api~1v1~1upstreams~1{name}/get/responses"))).containsExactly("404");
		assertThat(problemTypes(paths.at("/~1api~1v1~1upstreams~1{name}~1availability/get/responses")))
			.containsExactly("400", "404");
		assertThat(problemTypes(paths.at("/~1api~1v1~1close-events~1summary/get/responses"))).containsExactly("400");
		assertThat(this.document.at("/components/schemas/Problem/properties").propertyNames()).contains("type", "title",
				"status", "detail", "instance", "parameter");
	}

	@Test
	void documentsTheUpstreamPagesBesideTheDeprecatedArrayAndTheSummary() {
		JsonNode list = this.document.at("/paths/~1api~1v1~1upstreams/get");

		assertThat(list.at("/responses/200/content/application~1json/schema/oneOf").toString())
			.contains("#/components/schemas/UpstreamPage", "#/components/schemas/UpstreamResponse");
		assertThat(list.get("parameters").toString()).contains("\"state\"", "\"label\"", "\"q\"", "\"flapping\"",
				"\"sort\"", "\"limit\"", "\"cursor\"");
		assertThat(this.document.at("/components/schemas/UpstreamPage/required").toString()).contains("items", "next",
				"total");
		assertThat(this.document.at("/components/schemas/UpstreamSummaryResponse/required").toString())
			.contains("byState", "mostUnclean", "longestDown");
		assertThat(problemTypes(this.document.at("/paths/~1api~1v1~1upstreams/get/responses"))).containsExactly("400");
		assertThat(problemTypes(this.document.at("/paths/~1api~1v1~1upstreams~1summary/get/responses")))
			.containsExactly("400");
	}

	@Test
	void documentsTheStreamAsServerSentEvents() {
		JsonNode ok = this.document.at("/paths/~1api~1v1~1close-events~1stream/get/responses/200/content");

		assertThat(ok.propertyNames()).containsExactly("text/event-stream");
	}

	@Test
	void marksNullableFieldsAndRequiresAllFields() {
		JsonNode closeEvent = this.document.at("/components/schemas/CloseEvent");

		assertThat(closeEvent.get("required")).hasSize(19);
		assertThat(closeEvent.at("/properties/openedAt/type").toString()).contains("null");
		assertThat(closeEvent.at("/properties/code/type").toString()).doesNotContain("null");
	}

	@Test
	void describesTheStatisticsWindowAndTheirAnswers() {
		JsonNode summary = this.document.at("/paths/~1api~1v1~1close-events~1summary/get/parameters");
		List<String> names = new ArrayList<>();
		summary.forEach((parameter) -> names.add(parameter.get("name").asString()));

		assertThat(names).containsExactlyInAnyOrder("since", "until", "by", "limit");
		summary.forEach((parameter) -> {
			if (parameter.get("name").asString().equals("limit")) {
				assertThat(parameter.at("/schema/default").asInt()).isEqualTo(10);
			}
		});
		JsonNode availability = this.document.at("/components/schemas/AvailabilityResponse");
		assertThat(availability.get("required")).hasSize(11);
		assertThat(availability.at("/properties/availability/type").toString()).contains("null");
		assertThat(this.document.at("/components/schemas/Group/required")).hasSize(3);
	}

	private static List<String> problemTypes(JsonNode responses) {
		List<String> statuses = new ArrayList<>();
		responses.properties().forEach((response) -> {
			if (response.getValue().at("/content").has("application/problem+json")) {
				statuses.add(response.getKey());
			}
		});
		return statuses;
	}

}
