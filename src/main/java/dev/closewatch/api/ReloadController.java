package dev.closewatch.api;

import java.net.URI;
import java.util.List;

import dev.closewatch.config.UpstreamFiles;
import dev.closewatch.config.UpstreamFiles.SourceResult;
import dev.closewatch.upstream.UpstreamsDiff;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Re-reads {@code closewatch.upstream-files} now, as the watcher would after a change,
 * and answers once everything is applied: what changed in each file, or a problem naming
 * the file, line and property that kept one from being applied (the others are applied,
 * and a file that was not keeps its last good upstreams). There is no SIGHUP: a JVM dies
 * on it.
 */
@RestController
class ReloadController {

	static final URI INVALID_UPSTREAMS = URI.create("https://closewatch.dev/problems/invalid-upstreams");

	private final UpstreamFiles files;

	private final AdminAccess admin;

	ReloadController(UpstreamFiles files, AdminProperties admin) {
		this.files = files;
		this.admin = new AdminAccess(admin);
	}

	@PostMapping("/api/v1/reload")
	ReloadResponse reload(
			@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) @Nullable String authorization) {
		this.admin.check(authorization);
		List<SourceResult> results = this.files.reload(true);
		List<ReloadResponse.Source> sources = results.stream().map(ReloadResponse.Source::of).toList();
		List<SourceResult> failed = results.stream().filter((result) -> result.error() != null).toList();
		if (!failed.isEmpty()) {
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT, failed.size()
					+ " of " + results.size() + " upstream file(s) not applied: " + failed.get(0).error());
			problem.setType(INVALID_UPSTREAMS);
			problem.setTitle("Invalid upstream definitions");
			problem.setProperty("sources", sources);
			throw new ErrorResponseException(HttpStatus.UNPROCESSABLE_CONTENT, problem, null);
		}
		return new ReloadResponse(sources);
	}

	/**
	 * What a reload did.
	 *
	 * @param sources each file read, in name order
	 */
	record ReloadResponse(List<Source> sources) {

		/**
		 * What reading one file did.
		 *
		 * @param source the file, as {@code file:<path>}
		 * @param applied whether its upstreams were applied
		 * @param added the upstreams added
		 * @param removed the upstreams removed
		 * @param changed the upstreams reconnected with new settings
		 * @param relabelled the upstreams whose labels alone changed
		 * @param unchanged how many were left as they were, across all sources
		 * @param error why it was not applied
		 */
		record Source(String source, boolean applied, List<String> added, List<String> removed, List<String> changed,
				List<String> relabelled, int unchanged, @Nullable String error) {

			static Source of(SourceResult result) {
				UpstreamsDiff diff = result.diff();
				if (diff == null) {
					return new Source(result.source(), false, List.of(), List.of(), List.of(), List.of(), 0,
							result.error());
				}
				return new Source(result.source(), true, diff.added(), diff.removed(), diff.changed(),
						diff.relabelled(), diff.unchanged(), null);
			}

		}

	}

}
