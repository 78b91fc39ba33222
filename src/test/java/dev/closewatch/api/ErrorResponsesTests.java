package dev.closewatch.api;

import java.io.IOException;

import com.jayway.jsonpath.JsonPath;
import dev.closewatch.testserver.RawHttp;
import dev.closewatch.testserver.RawHttp.Answer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every error a client of {@code /api/**} or the actuator can get is an RFC 9457 problem
 * with a stable {@code type}, whichever layer raised it: Spring MVC, the servlet
 * container's error page, or Jetty before either. Requests are sent as raw bytes, since
 * HTTP client libraries refuse to send most of them.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "closewatch.upstreams.prices.url=ws://127.0.0.1:9/prices")
@Import(ErrorResponsesTests.TestEndpoints.class)
class ErrorResponsesTests {

	private static final String PROBLEMS = "https://closewatch.dev/problems/";

	@Value("${local.server.port}")
	private int port;

	private Answer get(String target, String... headers) throws IOException {
		return send("GET", target, "", headers);
	}

	private Answer send(String method, String target, String body, String... headers) throws IOException {
		StringBuilder request = new StringBuilder(method).append(' ')
			.append(target)
			.append(" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
		for (String header : headers) {
			request.append(header).append("\r\n");
		}
		return RawHttp.exchange(this.port, request.append("\r\n").append(body).toString());
	}

	private static void assertProblem(Answer answer, int status, String kind) {
		assertThat(answer.status()).isEqualTo(status);
		assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
		assertThat(JsonPath.<String>read(answer.body(), "$.type")).isEqualTo(PROBLEMS + kind);
		assertThat(JsonPath.<Integer>read(answer.body(), "$.status")).isEqualTo(status);
		assertThat(JsonPath.<String>read(answer.body(), "$.title")).isNotBlank();
	}

	@Nested
	class RaisedByJettyBeforeAnyServlet {

		@Test
		void rejectsAnAmbiguousPathSeparatorAsBadRequest() throws IOException {
			Answer answer = get("/api/v1/upstreams/..%2f..%2fetc");

			assertProblem(answer, 400, "bad-request");
			assertThat(JsonPath.<String>read(answer.body(), "$.detail")).contains("Ambiguous URI path separator");
		}

		@Test
		void rejectsAnOverlongUri() throws IOException {
			Answer answer = get("/api/v1/close-events?limit=" + "9".repeat(20_000));

			assertProblem(answer, 414, "uri-too-long");
		}

		@Test
		void rejectsAnOverlongHeaderBlock() throws IOException {
			Answer answer = get("/api/v1/close-events", "X-Padding: " + "a".repeat(20_000));

			assertProblem(answer, 431, "request-header-fields-too-large");
		}

		@Test
		void rejectsABodyOverTheLimitBeforeReadingIt() throws IOException {
			Answer answer = send("POST", "/api/v1/upstreams/prices/reconnect", "", "Content-Type: application/json",
					"Content-Length: 2000000");

			assertProblem(answer, 413, "content-too-large");
		}

		@Test
		void rejectsAGarbageRequestLine() throws IOException {
			Answer answer = RawHttp.exchange(ErrorResponsesTests.this.port, "GET /api/v1/upstreams HTTP/9.9\r\n\r\n");

			assertThat(answer.status()).isBetween(400, 505);
			assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
			assertThat(JsonPath.<String>read(answer.body(), "$.type")).startsWith(PROBLEMS);
		}

	}

	@Nested
	class RaisedByTheServletContainer {

		@Test
		void namesTheParameterJettyCannotDecode() throws IOException {
			Answer answer = get("/api/v1/close-events?cursor=%00%ff%20garbage");

			assertProblem(answer, 400, "invalid-parameter");
			assertThat(JsonPath.<String>read(answer.body(), "$.parameter")).isEqualTo("cursor");
			assertThat(JsonPath.<String>read(answer.body(), "$.instance")).isEqualTo("/api/v1/close-events");
		}

		@Test
		void answersAnUnhandledExceptionWithoutItsMessage() throws IOException {
			Answer answer = get("/api/v1/test-only/failure");

			assertProblem(answer, 500, "internal-error");
			assertThat(answer.body()).doesNotContain("secret detail");
		}

	}

	@Nested
	class RaisedBySpringMvc {

		@Test
		void answersAnUnknownPathWithNotFound() throws IOException {
			assertProblem(get("/api/v1/nope"), 404, "not-found");
		}

		@Test
		void answersAnUnsupportedMethodWithTheAllowedOnes() throws IOException {
			Answer answer = send("DELETE", "/api/v1/close-events", "");

			assertProblem(answer, 405, "method-not-allowed");
			assertThat(answer.header("Allow")).contains("GET");
		}

		@Test
		void answersAnUnacceptableMediaType() throws IOException {
			assertProblem(get("/api/v1/close-events", "Accept: application/xml"), 406, "not-acceptable");
		}

		@Test
		void answersAnUnsupportedContentType() throws IOException {
			Answer answer = send("POST", "/api/v1/test-only/body", "<x/>", "Content-Type: application/xml",
					"Content-Length: 4");

			assertProblem(answer, 415, "unsupported-media-type");
		}

		@Test
		void keepsClosewatchsOwnProblemTypes() throws IOException {
			assertProblem(get("/api/v1/close-events?limit=0"), 400, "invalid-parameter");
			assertProblem(get("/api/v1/upstreams/unknown"), 404, "unknown-upstream");
			assertProblem(send("POST", "/api/v1/upstreams/prices/reconnect", ""), 403, "write-disabled");
		}

	}

	@Nested
	class FromTheActuator {

		@Test
		void answersAnUnknownEndpointWithNotFound() throws IOException {
			assertProblem(get("/actuator/nope"), 404, "not-found");
		}

		@Test
		void answersAnUnsupportedMethod() throws IOException {
			assertProblem(send("POST", "/actuator/health", ""), 405, "method-not-allowed");
		}

		@Test
		void answersAnUnacceptableMediaType() throws IOException {
			assertProblem(get("/actuator/health", "Accept: application/xml"), 406, "not-acceptable");
		}

	}

	/**
	 * What no closewatch endpoint does yet: read a body, and fail.
	 */
	@RestController
	static class TestEndpoints {

		@PostMapping(path = "/api/v1/test-only/body", consumes = "application/json")
		String body(@RequestBody String body) {
			return body;
		}

		@GetMapping("/api/v1/test-only/failure")
		String failure() {
			throw new IllegalStateException("secret detail");
		}

	}

}
