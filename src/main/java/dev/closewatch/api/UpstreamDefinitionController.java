package dev.closewatch.api;

import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.closewatch.cluster.ClusterUpstreams;
import dev.closewatch.config.ApiUpstreams;
import dev.closewatch.config.UpstreamOwnedElsewhereException;
import dev.closewatch.upstream.InvalidUpstreamsException;
import dev.closewatch.upstream.Upstreams;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Creates, replaces and removes upstreams through the API (admin token required), as the
 * source {@code api}: a name another source defines is a 409, a body that startup would
 * refuse a 400 naming the property. Secrets are write-only: the answer is the upstream as
 * {@code GET} shows it, URL masked and headers left out.
 */
@RestController
class UpstreamDefinitionController {

	static final URI INVALID_UPSTREAM = URI.create("https://closewatch.dev/problems/invalid-upstream");

	static final URI OWNED_ELSEWHERE = URI.create("https://closewatch.dev/problems/upstream-owned-elsewhere");

	static final URI STORE_UNAVAILABLE = URI.create("https://closewatch.dev/problems/store-unavailable");

	private static final Pattern PROPERTY = Pattern.compile("closewatch\\.upstreams\\.[a-z0-9-]+[a-zA-Z0-9_.\\[\\]-]*");

	private final ApiUpstreams api;

	private final Upstreams upstreams;

	private final AdminAccess admin;

	// only with closewatch.cluster: the upstream may be another replica's to watch
	private final @Nullable ClusterUpstreams cluster;

	UpstreamDefinitionController(ApiUpstreams api, Upstreams upstreams, AdminProperties admin,
			ObjectProvider<ClusterUpstreams> cluster) {
		this.api = api;
		this.upstreams = upstreams;
		this.admin = new AdminAccess(admin);
		this.cluster = cluster.getIfAvailable();
	}

	/**
	 * Create or replace an upstream: 201 when created, 200 when replaced (an unchanged
	 * definition leaves the connection alone, a changed one reconnects with 1000
	 * "reconfigured").
	 * @param name the upstream
	 * @param body its settings, as under {@code closewatch.upstreams.<name>} (kebab-case
	 * or camelCase keys)
	 * @param authorization the admin bearer token
	 * @return the upstream as {@code GET} shows it
	 */
	@PutMapping("/api/v1/upstreams/{name}")
	ResponseEntity<UpstreamResponse> put(@PathVariable("name") String name, @RequestBody byte[] body,
			@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) @Nullable String authorization) {
		this.admin.check(authorization);
		ApiUpstreams.Put put;
		try {
			put = this.api.put(name, body);
		}
		catch (InvalidUpstreamsException ex) {
			throw invalid(name, ex);
		}
		catch (UpstreamOwnedElsewhereException ex) {
			throw ownedElsewhere(ex);
		}
		catch (DataAccessException ex) {
			throw storeUnavailable(ex);
		}
		UpstreamResponse response = (this.cluster != null)
				? this.cluster.one(name)
					.map((watched) -> UpstreamResponse.of(watched.status(), watched.owner()))
					.orElseThrow(() -> new UnknownUpstreamException("name", name))
				: this.upstreams.status(name)
					.map(UpstreamResponse::of)
					.orElseThrow(() -> new UnknownUpstreamException("name", name));
		if (put.created()) {
			return ResponseEntity.created(URI.create("/api/v1/upstreams/" + name)).body(response);
		}
		return ResponseEntity.ok(response);
	}

	/**
	 * Remove an upstream defined through the API: it closes with 1000 "removed" and its
	 * history is kept.
	 * @param name the upstream
	 * @param authorization the admin bearer token
	 * @return 204
	 */
	@DeleteMapping("/api/v1/upstreams/{name}")
	ResponseEntity<Void> delete(@PathVariable("name") String name,
			@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) @Nullable String authorization) {
		this.admin.check(authorization);
		try {
			if (this.api.delete(name) == null) {
				throw new UnknownUpstreamException("name", name);
			}
		}
		catch (UpstreamOwnedElsewhereException ex) {
			throw ownedElsewhere(ex);
		}
		catch (DataAccessException ex) {
			throw storeUnavailable(ex);
		}
		return ResponseEntity.noContent().build();
	}

	private static ErrorResponseException invalid(String name, InvalidUpstreamsException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, ex.getMessage());
		problem.setType(INVALID_UPSTREAM);
		problem.setTitle("Invalid upstream definition");
		Matcher matcher = PROPERTY.matcher(String.valueOf(ex.getMessage()));
		if (matcher.find()) {
			String property = matcher.group().replaceAll("[.:]+$", "");
			problem.setProperty("property", property);
			String prefix = "closewatch.upstreams." + name + ".";
			if (property.startsWith(prefix)) {
				problem.setProperty("field", property.substring(prefix.length()));
			}
		}
		return new ErrorResponseException(HttpStatus.BAD_REQUEST, problem, ex);
	}

	private static ErrorResponseException ownedElsewhere(UpstreamOwnedElsewhereException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, ex.getMessage());
		problem.setType(OWNED_ELSEWHERE);
		problem.setTitle("Upstream defined by another source");
		problem.setProperty("owner", ex.owner());
		return new ErrorResponseException(HttpStatus.CONFLICT, problem, ex);
	}

	private static ErrorResponseException storeUnavailable(DataAccessException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
				"The history store's database, which keeps upstreams defined through the API, cannot be written; "
						+ "nothing changed");
		problem.setType(STORE_UNAVAILABLE);
		problem.setTitle("Store unavailable");
		return new ErrorResponseException(HttpStatus.SERVICE_UNAVAILABLE, problem, ex);
	}

}
