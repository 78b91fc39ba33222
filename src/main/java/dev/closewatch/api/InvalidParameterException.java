package dev.closewatch.api;

import java.net.URI;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A query parameter that cannot be used as given, answered with a 400 problem naming the
 * parameter.
 */
class InvalidParameterException extends ErrorResponseException {

	static final URI TYPE = URI.create("https://closewatch.dev/problems/invalid-parameter");

	InvalidParameterException(String parameter, String value, String requirement) {
		this(parameter, value, requirement, null);
	}

	InvalidParameterException(String parameter, String value, String requirement, @Nullable Throwable cause) {
		super(HttpStatus.BAD_REQUEST, problem(parameter, value, requirement), cause);
	}

	static ProblemDetail problem(String parameter, String value, String requirement) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
				"Parameter '%s' %s, but was '%s'".formatted(parameter, requirement, value));
		problem.setType(TYPE);
		problem.setTitle("Invalid parameter");
		problem.setProperty("parameter", parameter);
		return problem;
	}

}
