package dev.closewatch.api;

import java.net.URI;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A request naming an upstream that is not configured, answered with a 404 problem.
 */
class UnknownUpstreamException extends ErrorResponseException {

	static final URI TYPE = URI.create("https://closewatch.dev/problems/unknown-upstream");

	UnknownUpstreamException(String parameter, String name) {
		super(HttpStatus.NOT_FOUND, problem(parameter, name), null);
	}

	private static ProblemDetail problem(String parameter, String name) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
				"No upstream is named '%s' (parameter '%s')".formatted(name, parameter));
		problem.setType(TYPE);
		problem.setTitle("Unknown upstream");
		problem.setProperty("parameter", parameter);
		return problem;
	}

}
