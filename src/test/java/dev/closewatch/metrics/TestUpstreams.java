package dev.closewatch.metrics;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.closewatch.upstream.UpstreamState;
import dev.closewatch.upstream.UpstreamStatus;
import dev.closewatch.upstream.Upstreams;

/**
 * {@link Upstreams} whose statuses a test sets.
 */
class TestUpstreams implements Upstreams {

	private final List<String> names;

	private final Map<String, UpstreamStatus> statuses = new ConcurrentHashMap<>();

	TestUpstreams(String... names) {
		this.names = List.of(names);
		for (String name : names) {
			set(name, UpstreamState.STOPPED, 0);
		}
	}

	void set(String name, UpstreamState state, long messagesReceived) {
		String url = Optional.ofNullable(this.statuses.get(name))
			.map(UpstreamStatus::url)
			.orElse("ws://127.0.0.1/" + name);
		this.statuses.put(name, new UpstreamStatus(name, url, state, null, null, 0, null, null, messagesReceived));
	}

	void setUrl(String name, String url) {
		UpstreamStatus status = this.statuses.get(name);
		this.statuses.put(name,
				new UpstreamStatus(name, url, status.state(), null, null, 0, null, null, status.messagesReceived()));
	}

	@Override
	public List<String> names() {
		return this.names;
	}

	@Override
	public List<UpstreamStatus> statuses() {
		return this.names.stream().map(this.statuses::get).toList();
	}

	@Override
	public Optional<UpstreamStatus> status(String name) {
		return Optional.ofNullable(this.statuses.get(name));
	}

	@Override
	public Optional<UpstreamStatus> reconnect(String name) {
		return status(name);
	}

}
