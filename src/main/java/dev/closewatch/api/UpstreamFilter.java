package dev.closewatch.api;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

import dev.closewatch.upstream.UpstreamState;
import dev.closewatch.upstream.UpstreamStatus;
import org.jspecify.annotations.Nullable;

/**
 * What {@code GET /api/v1/upstreams} filters on; every given filter must match.
 *
 * @param states only these states, any when empty
 * @param labels only upstreams carrying every one of these labels
 * @param query only names containing this, ignoring case
 * @param flapping only upstreams that are (or are not) flapping
 */
record UpstreamFilter(Set<UpstreamState> states, Map<String, String> labels, @Nullable String query,
		@Nullable Boolean flapping) {

	private static final int MAX_QUERY_LENGTH = 200;

	UpstreamFilter {
		states = (states.isEmpty()) ? Set.of() : EnumSet.copyOf(states);
		labels = new TreeMap<>(labels);
		query = (query != null) ? query.toLowerCase(Locale.ROOT) : null;
	}

	/**
	 * Parse the request's parameters, naming the one that is wrong.
	 */
	static UpstreamFilter parse(@Nullable Iterable<String> states, @Nullable Iterable<String> labels,
			@Nullable String query, @Nullable String flapping) {
		Set<UpstreamState> wantedStates = EnumSet.noneOf(UpstreamState.class);
		if (states != null) {
			for (String value : states) {
				for (String state : value.split(",", -1)) {
					wantedStates.add(state(value, state.trim()));
				}
			}
		}
		Map<String, String> wantedLabels = new TreeMap<>();
		if (labels != null) {
			for (String label : labels) {
				int equals = label.indexOf('=');
				if (equals <= 0) {
					throw new InvalidParameterException("label", label, "must be name=value, such as team=payments");
				}
				wantedLabels.put(label.substring(0, equals), label.substring(equals + 1));
			}
		}
		String q = QueryParameters.text("q", query);
		if (q != null && q.length() > MAX_QUERY_LENGTH) {
			throw new InvalidParameterException("q", q.substring(0, 40) + "…",
					"must be at most " + MAX_QUERY_LENGTH + " characters");
		}
		return new UpstreamFilter(wantedStates, wantedLabels, q, QueryParameters.bool("flapping", flapping));
	}

	private static UpstreamState state(String value, String state) {
		for (UpstreamState candidate : UpstreamState.values()) {
			if (candidate.name().equalsIgnoreCase(state)) {
				return candidate;
			}
		}
		throw new InvalidParameterException("state", value,
				"must be one or more (comma-separated) of " + EnumSet.allOf(UpstreamState.class));
	}

	boolean matches(UpstreamStatus status) {
		if (!this.states.isEmpty() && !this.states.contains(status.state())) {
			return false;
		}
		if (this.flapping != null && this.flapping != status.recentCloses().flapping()) {
			return false;
		}
		if (this.query != null && !status.name().contains(this.query)) {
			// names are lowercase kebab-case
			return false;
		}
		for (Map.Entry<String, String> label : this.labels.entrySet()) {
			if (!label.getValue().equals(status.labels().get(label.getKey()))) {
				return false;
			}
		}
		return true;
	}

	/**
	 * A short, stable fingerprint of the filter, so that a cursor is refused for another.
	 */
	String fingerprint() {
		return Integer
			.toHexString(Objects.hash(this.states.toString(), this.labels.toString(), this.query, this.flapping));
	}

}
