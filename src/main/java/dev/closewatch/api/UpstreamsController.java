package dev.closewatch.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.closewatch.upstream.Upstreams;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Shows the monitored upstreams and their current state.
 */
@RestController
@RequestMapping("/api/v1/upstreams")
@EnableConfigurationProperties(AdminProperties.class)
class UpstreamsController {

	private final Upstreams upstreams;

	private final AdminAccess admin;

	UpstreamsController(Upstreams upstreams, AdminProperties admin) {
		this.upstreams = upstreams;
		this.admin = new AdminAccess(admin);
	}

	/**
	 * List the upstreams, optionally only those carrying every given label.
	 * @param labels {@code name=value} pairs, such as {@code team=payments}
	 * @return the upstreams in name order
	 */
	@GetMapping
	List<UpstreamResponse> upstreams(@RequestParam(name = "label", required = false) @Nullable List<String> labels) {
		Map<String, String> wanted = new LinkedHashMap<>();
		if (labels != null) {
			for (String label : labels) {
				int equals = label.indexOf('=');
				if (equals <= 0) {
					throw new InvalidParameterException("label", label, "must be name=value, such as team=payments");
				}
				wanted.put(label.substring(0, equals), label.substring(equals + 1));
			}
		}
		return this.upstreams.statuses()
			.stream()
			.filter((status) -> wanted.entrySet()
				.stream()
				.allMatch((label) -> label.getValue().equals(status.labels().get(label.getKey()))))
			.map(UpstreamResponse::of)
			.toList();
	}

	@GetMapping("/{name}")
	UpstreamResponse upstream(@PathVariable("name") String name) {
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
			.map(UpstreamResponse::of)
			.orElseThrow(() -> new UnknownUpstreamException("name", name));
	}

}
