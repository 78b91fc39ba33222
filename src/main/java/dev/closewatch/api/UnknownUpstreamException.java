package dev.closewatch.api;

import java.net.URI;

import dev.closewatch.cluster.ClusterView;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A request naming an upstream that is not configured, answered with a 404 problem.
 */
class UnknownUpstreamException extends ErrorResponseException {

	static final URI TYPE = URI.create("https://closewatch.dev/problems/unknown-upstream");

	UnknownUpstreamException(String parameter, String name) {
		super(HttpStatus.NOT_FOUND, problem(parameter, name, null), null);
	}

	private UnknownUpstreamException(String parameter, String name, String owner) {
		super(HttpStatus.NOT_FOUND, problem(parameter, name, owner), null);
	}

	/**
	 * The upstream is not watched by this replica: with the cluster, say which one does.
	 * @param parameter the parameter that named it
	 * @param name the name
	 * @param cluster the cluster, {@code null} without it
	 * @return the exception to throw
	 */
	static UnknownUpstreamException notHere(String parameter, String name, @Nullable ClusterView cluster) {
		String owner = (cluster != null) ? cluster.ownerOf(name) : null;
		if (owner == null || owner.equals(cluster.member())) {
			return new UnknownUpstreamException(parameter, name);
		}
		return new UnknownUpstreamException(parameter, name, owner);
	}

	private static ProblemDetail problem(String parameter, String name, @Nullable String owner) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, (owner == null)
				? "No upstream is named '%s' (parameter '%s')".formatted(name, parameter)
				: ("Upstream '%s' (parameter '%s') is watched by replica '%s', not this one: ask it, or read the "
						+ "shared history (GET /api/v1/close-events?upstream=%s)")
					.formatted(name, parameter, owner, name));
		problem.setType(TYPE);
		problem.setTitle("Unknown upstream");
		problem.setProperty("parameter", parameter);
		if (owner != null) {
			problem.setProperty("owner", owner);
		}
		return problem;
	}

}
