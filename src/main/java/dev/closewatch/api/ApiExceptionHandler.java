package dev.closewatch.api;

import java.net.URI;

import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
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

	/**
	 * A read of the history store's database that failed, such as while PostgreSQL
	 * restarts: 503 with a hint to retry, and neither the database's message (which may
	 * name hosts and users) nor a stack trace in the answer.
	 * @param ex the failure
	 * @param request the request
	 * @return the problem
	 */
	@ExceptionHandler(DataAccessException.class)
	ResponseEntity<Object> storeUnavailable(DataAccessException ex, WebRequest request) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
				"The history store cannot be read just now; closes are still recorded and queued for it. "
						+ "Try again shortly (health: /actuator/health, component historyStore)");
		problem.setType(UpstreamDefinitionController.STORE_UNAVAILABLE);
		problem.setTitle("Store unavailable");
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.RETRY_AFTER, "5");
		return handleExceptionInternal(ex, problem, headers, HttpStatus.SERVICE_UNAVAILABLE, request);
	}

	@Override
	protected ResponseEntity<Object> createResponseEntity(@Nullable Object body, HttpHeaders headers,
			HttpStatusCode statusCode, WebRequest request) {
		if (body instanceof ProblemDetail problem && (problem.getType() == null || BLANK.equals(problem.getType()))) {
			problem.setType(ProblemTypes.of(statusCode.value()));
		}
		return super.createResponseEntity(body, headers, statusCode, request);
	}

}
