package dev.closewatch.api;

import java.util.List;

import dev.closewatch.upstream.Upstreams;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Shows the monitored upstreams and their current state.
 */
@RestController
@RequestMapping("/api/v1/upstreams")
class UpstreamsController {

	private final Upstreams upstreams;

	UpstreamsController(Upstreams upstreams) {
		this.upstreams = upstreams;
	}

	@GetMapping
	List<UpstreamResponse> upstreams() {
		return this.upstreams.statuses().stream().map(UpstreamResponse::of).toList();
	}

	@GetMapping("/{name}")
	UpstreamResponse upstream(@PathVariable("name") String name) {
		return this.upstreams.status(name)
			.map(UpstreamResponse::of)
			.orElseThrow(() -> new UnknownUpstreamException("name", name));
	}

}
