package dev.closewatch.api;

import java.net.URI;
import java.util.Map;

/**
 * The stable problem {@code type} of every error that is not one of closewatch's own
 * kinds (an invalid parameter, an unknown upstream): one per HTTP status, whichever layer
 * raised it, Spring MVC, the servlet container or Jetty before either. A client can rely
 * on the {@code type} and never needs to parse the {@code detail}.
 */
final class ProblemTypes {

	private static final String BASE = "https://closewatch.dev/problems/";

	private static final Map<Integer, String> KINDS = Map.ofEntries(Map.entry(400, "bad-request"),
			Map.entry(401, "unauthorized"), Map.entry(403, "forbidden"), Map.entry(404, "not-found"),
			Map.entry(405, "method-not-allowed"), Map.entry(406, "not-acceptable"), Map.entry(408, "request-timeout"),
			Map.entry(409, "conflict"), Map.entry(413, "content-too-large"), Map.entry(414, "uri-too-long"),
			Map.entry(415, "unsupported-media-type"), Map.entry(431, "request-header-fields-too-large"),
			Map.entry(500, "internal-error"), Map.entry(501, "not-implemented"), Map.entry(503, "service-unavailable"),
			Map.entry(505, "http-version-not-supported"));

	private ProblemTypes() {
	}

	/**
	 * The problem type of an HTTP status.
	 * @param status the status
	 * @return a URI such as {@code https://closewatch.dev/problems/not-found}, or
	 * {@code .../http-<status>} for a status without a name of its own
	 */
	static URI of(int status) {
		return URI.create(BASE + KINDS.getOrDefault(status, "http-" + status));
	}

}
