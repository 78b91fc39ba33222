package dev.closewatch.api;

import java.time.Clock;
import java.util.Optional;

import dev.closewatch.cluster.ClusterUpstreams;
import dev.closewatch.history.AvailabilityQuery;
import dev.closewatch.history.CloseEventStatistics;
import dev.closewatch.upstream.UpstreamStatus;
import dev.closewatch.upstream.Upstreams;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Shows how available an upstream was in a window, from its recorded sessions and the
 * session open now. Only configured upstreams are known here, although the history keeps
 * the events of removed ones. See {@code docs/api.md}.
 */
@RestController
class AvailabilityController {

	private final CloseEventStatistics statistics;

	private final Upstreams upstreams;

	private final Clock clock;

	// only with closewatch.cluster: any upstream of the cluster, as its owner published
	// it
	private final @Nullable ClusterUpstreams cluster;

	AvailabilityController(CloseEventStatistics statistics, Upstreams upstreams, Clock clock,
			ObjectProvider<ClusterUpstreams> cluster) {
		this.statistics = statistics;
		this.upstreams = upstreams;
		this.clock = clock;
		this.cluster = cluster.getIfAvailable();
	}

	@GetMapping("/api/v1/upstreams/{name}/availability")
	AvailabilityResponse availability(@PathVariable("name") String name,
			@RequestParam(name = "since", required = false) @Nullable String since,
			@RequestParam(name = "until", required = false) @Nullable String until) {
		TimeWindow window = TimeWindow.parse(since, until, this.clock.instant());
		Optional<UpstreamStatus> found = (this.cluster != null)
				? this.cluster.one(name).map(ClusterUpstreams.Watched::status) : this.upstreams.status(name);
		UpstreamStatus status = found.orElseThrow(() -> new UnknownUpstreamException("name", name));
		AvailabilityQuery query = new AvailabilityQuery(name, window.since(), window.until(), status.openSince());
		return AvailabilityResponse.of(name, window, this.statistics.availability(query));
	}

}
