package dev.closewatch.api;

import java.net.URI;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Spring MVC's RFC 9457 answers to its own exceptions (404 for an unknown path, 405, 406,
 * 415, a missing or unreadable parameter…), for the API and the actuator alike, with a
 * stable {@code type} per kind ({@link ProblemTypes}) where Spring leaves
 * {@code about:blank}. It takes the place of Boot's
 * {@code spring.mvc.problemdetails.enabled} handler, which backs off for it.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

	private static final URI BLANK = URI.create("about:blank");

	@Override
	protected ResponseEntity<Object> createResponseEntity(@Nullable Object body, HttpHeaders headers,
			HttpStatusCode statusCode, WebRequest request) {
		if (body instanceof ProblemDetail problem && (problem.getType() == null || BLANK.equals(problem.getType()))) {
			problem.setType(ProblemTypes.of(statusCode.value()));
		}
		return super.createResponseEntity(body, headers, statusCode, request);
	}

}
