package dev.closewatch.api;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.io.JsonStringEncoder;

/**
 * Jetty's own error answers as RFC 9457 problems. Jetty rejects some requests before any
 * servlet sees them, and answers them with its server's error handler, an HTML page by
 * default: a URI its compliance mode forbids ({@code HttpChannelState} checks
 * {@code UriCompliance}: "Ambiguous URI path separator" for {@code ..%2f}), a request
 * line or header block too long (414, 431), an unparseable request ("/badMessage"), a
 * body over the size limit (413).
 */
class ProblemJsonErrorHandler extends ErrorHandler {

	private static final String PROBLEM_JSON = "application/problem+json";

	@Override
	public boolean errorPageForMethod(String method) {
		// every method gets a problem, not only GET, POST and HEAD
		return true;
	}

	@Override
	protected void generateResponse(Request request, Response response, int code, String message,
			@Nullable Throwable cause, Callback callback) throws IOException {
		response.getHeaders().put(HttpHeader.CONTENT_TYPE, PROBLEM_JSON);
		response.write(true, ByteBuffer.wrap(problem(code, message)), callback);
	}

	@Override
	public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
		fields.put(HttpHeader.CONTENT_TYPE, PROBLEM_JSON);
		return ByteBuffer.wrap(problem(status, reason));
	}

	static byte[] problem(int status, @Nullable String message) {
		String title = HttpStatus.getMessage(status);
		// a server error's message may say more about closewatch than a client needs
		String detail = (status < 500 && message != null && !message.isBlank()) ? message : title;
		StringBuilder body = new StringBuilder("{\"type\":\"").append(ProblemTypes.of(status))
			.append("\",\"title\":\"");
		JsonStringEncoder json = JsonStringEncoder.getInstance();
		json.quoteAsString(title, body);
		body.append("\",\"status\":").append(status).append(",\"detail\":\"");
		json.quoteAsString(detail, body);
		body.append("\"}");
		return body.toString().getBytes(StandardCharsets.UTF_8);
	}

}
