package dev.closewatch.api;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.closewatch.cluster.ClusterUpstreams;
import dev.closewatch.cluster.ClusterUpstreams.Watched;
import dev.closewatch.cluster.ClusterView;
import dev.closewatch.upstream.UpstreamStatus;
import dev.closewatch.upstream.Upstreams;

import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Shows the monitored upstreams and their current state: filtered and paged, one by one,
 * and summarised. See {@code docs/api.md}.
 */
@RestController
@RequestMapping("/api/v1/upstreams")
@EnableConfigurationProperties(AdminProperties.class)
class UpstreamsController {

	private final Upstreams upstreams;

	private static final int DEFAULT_LIMIT = 100;

	private static final int MAX_LIMIT = 1000;

	private final AdminAccess admin;

	private final Clock clock;

	// only with closewatch.cluster: which replica watches an upstream this one does not
	private final @Nullable ClusterView cluster;

	// only with closewatch.cluster: every upstream of the cluster, with its owner
	private final @Nullable ClusterUpstreams clusterUpstreams;

	UpstreamsController(Upstreams upstreams, AdminProperties admin, Clock clock, ObjectProvider<ClusterView> cluster,
			ObjectProvider<ClusterUpstreams> clusterUpstreams) {
		this.upstreams = upstreams;
		this.admin = new AdminAccess(admin);
		this.clock = clock;
		this.cluster = cluster.getIfAvailable();
		this.clusterUpstreams = clusterUpstreams.getIfAvailable();
	}

	// every upstream this replica answers for: its own, or with closewatch.cluster the
	// cluster's, each with its owner
	private List<Watched> watched() {
		if (this.clusterUpstreams != null) {
			return this.clusterUpstreams.all();
		}
		return this.upstreams.statuses().stream().map((status) -> new Watched(status, null)).toList();
	}

	/**
	 * List the upstreams: one page of those matching every given filter, or, asked with
	 * neither {@code limit} nor {@code cursor}, all of them as a plain array (the first
	 * version's answer, deprecated: it grows with the number of upstreams).
	 * @param states only these states (repeated or comma-separated)
	 * @param labels {@code name=value} pairs, such as {@code team=payments}
	 * @param query part of the name
	 * @param flapping only upstreams that are (or are not) flapping
	 * @param owner with {@code closewatch.cluster}, only the upstreams this replica
	 * watches (its member id)
	 * @param sort {@code name} (the default) or {@code attention}
	 * @param limit the page size, 1 to 1000 (100 by default)
	 * @param cursor the {@code next} of the previous page
	 * @return the page, or the array
	 */
	@GetMapping
	@ApiResponse(responseCode = "200",
			description = "A page (with limit or cursor), or the deprecated array of every matching upstream",
			content = @Content(mediaType = "application/json",
					schema = @Schema(oneOf = { UpstreamPage.class, UpstreamResponse[].class })))
	ResponseEntity<?> upstreams(@RequestParam(name = "state", required = false) @Nullable List<String> states,
			@RequestParam(name = "label", required = false) @Nullable List<String> labels,
			@RequestParam(name = "q", required = false) @Nullable String query,
			@RequestParam(name = "flapping", required = false) @Nullable String flapping,
			@RequestParam(name = "owner", required = false) @Nullable String owner,
			@RequestParam(name = "sort", required = false) @Nullable String sort,
			@RequestParam(name = "limit", required = false) @Nullable String limit,
			@RequestParam(name = "cursor", required = false) @Nullable String cursor) {
		UpstreamFilter filter = UpstreamFilter.parse(states, labels, query, flapping);
		UpstreamOrder order = UpstreamOrder.parse(sort);
		Integer pageSize = QueryParameters.integer("limit", limit, 1, MAX_LIMIT);
		UpstreamCursor after = (cursor != null) ? UpstreamCursor.decode(cursor, order, filter) : null;
		List<UpstreamOrder.Ranked> matching = new ArrayList<>();
		Map<String, String> owners = new HashMap<>();
		for (Watched watched : watched()) {
			UpstreamStatus status = watched.status();
			if (filter.matches(status) && (owner == null || owner.equals(watched.owner()))) {
				matching.add(new UpstreamOrder.Ranked(order.rank(status), status));
				if (watched.owner() != null) {
					owners.put(status.name(), watched.owner());
				}
			}
		}
		if (order != UpstreamOrder.NAME) {
			matching.sort(order.comparator());
		}
		if (pageSize == null && after == null) {
			return ResponseEntity.ok()
				.header("Deprecation", "true")
				.header(HttpHeaders.LINK, "</api/v1/upstreams?limit=" + DEFAULT_LIMIT + ">; rel=\"successor-version\"")
				.body(matching.stream()
					.map((ranked) -> UpstreamResponse.of(ranked.status(), owners.get(ranked.status().name())))
					.toList());
		}
		int size = (pageSize != null) ? pageSize : DEFAULT_LIMIT;
		int first = 0;
		if (after != null) {
			while (first < matching.size() && !matching.get(first).after(after.rank(), after.name())) {
				first++;
			}
		}
		int end = Math.min(matching.size(), first + size);
		List<UpstreamResponse> items = new ArrayList<>(end - first);
		for (int i = first; i < end; i++) {
			UpstreamStatus status = matching.get(i).status();
			items.add(UpstreamResponse.of(status, owners.get(status.name())));
		}
		String next = null;
		if (end < matching.size()) {
			UpstreamOrder.Ranked last = matching.get(end - 1);
			next = new UpstreamCursor(order, filter.fingerprint(), last.rank(), last.status().name()).encode();
		}
		return ResponseEntity.ok(new UpstreamPage(items, next, matching.size()));
	}

	/**
	 * Summarise every upstream.
	 * @param top how many upstreams the lists of the worst give, 1 to 100 (10 by default)
	 * @return the summary
	 */
	@GetMapping("/summary")
	UpstreamSummaryResponse summary(@RequestParam(name = "top", required = false) @Nullable String top) {
		int listed = Objects.requireNonNullElse(QueryParameters.integer("top", top, 1, 100), 10);
		return UpstreamSummaries.summarise(watched().stream().map(Watched::status).toList(), listed,
				this.clock.instant());
	}

	/**
	 * One upstream; with {@code closewatch.cluster}, any upstream of the cluster, as its
	 * owner last published it when another replica watches it.
	 * @param name the upstream
	 * @return the upstream
	 */
	@GetMapping("/{name}")
	UpstreamResponse upstream(@PathVariable("name") String name) {
		if (this.clusterUpstreams != null) {
			return this.clusterUpstreams.one(name)
				.map((watched) -> UpstreamResponse.of(watched.status(), watched.owner()))
				.orElseThrow(() -> new UnknownUpstreamException("name", name));
		}
		return this.upstreams.status(name)
			.map(UpstreamResponse::of)
			.orElseThrow(() -> new UnknownUpstreamException("name", name));
	}

	/**
	 * Connect an upstream now with a fresh attempt count: resumes one that gave up, cuts
	 * short the wait of one waiting to reconnect, and leaves an open one alone.
	 * @param name the upstream
	 * @param authorization the admin bearer token
	 * @return the upstream after the request
	 */
	@PostMapping("/{name}/reconnect")
	@ResponseStatus(HttpStatus.ACCEPTED)
	UpstreamResponse reconnect(@PathVariable("name") String name,
			@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) @Nullable String authorization) {
		this.admin.check(authorization);
		return this.upstreams.reconnect(name)
			.map((status) -> UpstreamResponse.of(status, (this.cluster != null) ? this.cluster.member() : null))
			.orElseThrow(() -> UnknownUpstreamException.notHere("name", name, this.cluster));
	}

}
