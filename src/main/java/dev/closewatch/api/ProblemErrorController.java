package dev.closewatch.api;

import java.net.URI;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.eclipse.jetty.http.HttpException;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * The servlet container's error page, as RFC 9457 problems: what reaches it never went
 * through Spring MVC's exception handling, such as a query string Jetty cannot decode
 * while Spring reads a parameter, or an exception nothing handled (a 500). It replaces
 * Boot's {@code BasicErrorController}, whose body is not a problem.
 */
@Controller
@RequestMapping("${server.error.path:${error.path:/error}}")
class ProblemErrorController implements ErrorController {

	// Servlet 6.1 RequestDispatcher.ERROR_QUERY_STRING
	private static final String ERROR_QUERY_STRING = "jakarta.servlet.error.query_string";

	@RequestMapping
	ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
		Object exception = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
		int status = status(request, exception);
		String uri = (String) request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
		ProblemDetail problem = problem(status, (String) request.getAttribute(ERROR_QUERY_STRING),
				(String) request.getAttribute(RequestDispatcher.ERROR_MESSAGE));
		problem.setInstance(URI.create((uri != null) ? uri : request.getRequestURI()));
		return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
	}

	private static ProblemDetail problem(int status, @Nullable String query, @Nullable String message) {
		if (status == HttpStatus.BAD_REQUEST.value()) {
			QueryParameters.Raw undecodable = QueryParameters.firstUndecodable(query);
			if (undecodable != null) {
				return InvalidParameterException.problem(undecodable.name(), undecodable.value(),
						"must be percent-encoded UTF-8");
			}
		}
		HttpStatus known = HttpStatus.resolve(status);
		String title = (known != null) ? known.getReasonPhrase() : "HTTP " + status;
		// a server error's message may say more about closewatch than a client needs
		String detail = (status < 500 && message != null && !message.isBlank()) ? message : title;
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(status), detail);
		problem.setType(ProblemTypes.of(status));
		problem.setTitle(title);
		return problem;
	}

	private static int status(HttpServletRequest request, @Nullable Object exception) {
		if (exception instanceof HttpException http) {
			return http.getCode();
		}
		Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
		// asked for /error itself
		return (status instanceof Integer code && code >= 400 && code <= 599) ? code : 404;
	}

}
