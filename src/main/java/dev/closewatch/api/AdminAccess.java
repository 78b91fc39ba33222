package dev.closewatch.api;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * Checks the admin token of a write request: 403 while write endpoints are disabled, 401
 * without a bearer token, 403 with a wrong one. The comparison takes constant time.
 */
final class AdminAccess {

	static final URI DISABLED = URI.create("https://closewatch.dev/problems/write-disabled");

	static final URI UNAUTHORIZED = URI.create("https://closewatch.dev/problems/unauthorized");

	static final URI FORBIDDEN = URI.create("https://closewatch.dev/problems/forbidden");

	private final byte @Nullable [] token;

	AdminAccess(AdminProperties properties) {
		String token = properties.adminToken();
		this.token = (token != null && !token.isBlank()) ? token.getBytes(StandardCharsets.UTF_8) : null;
	}

	void check(@Nullable String authorization) {
		if (this.token == null) {
			throw problem(HttpStatus.FORBIDDEN, DISABLED, "Write endpoints are disabled",
					"Set closewatch.api.admin-token to enable write endpoints");
		}
		if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
			ErrorResponseException exception = problem(HttpStatus.UNAUTHORIZED, UNAUTHORIZED, "Authentication required",
					"Send the admin token as 'Authorization: Bearer <token>'");
			exception.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"closewatch\"");
			throw exception;
		}
		byte[] presented = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
		if (!MessageDigest.isEqual(presented, this.token)) {
			throw problem(HttpStatus.FORBIDDEN, FORBIDDEN, "Forbidden", "The admin token is not valid");
		}
	}

	private static ErrorResponseException problem(HttpStatus status, URI type, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(type);
		problem.setTitle(title);
		return new ErrorResponseException(status, problem, null);
	}

}
