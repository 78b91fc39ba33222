package dev.closewatch.closeevent;

import java.util.Objects;

/**
 * A classified failure of a connection attempt.
 *
 * @param kind what kind of failure it was
 * @param error short, stable classification such as {@code connect-refused}
 * @param message human-readable detail, free of credentials
 */
public record Failure(FailureKind kind, String error, String message) {

	public Failure {
		Objects.requireNonNull(kind, "kind must not be null");
		Objects.requireNonNull(error, "error must not be null");
		Objects.requireNonNull(message, "message must not be null");
	}

}
