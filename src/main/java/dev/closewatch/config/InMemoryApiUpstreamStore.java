package dev.closewatch.config;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;

import org.jspecify.annotations.Nullable;

/**
 * Keeps the upstreams defined through the REST API for the life of the process only: the
 * store of {@code closewatch.history.store=memory}, which has no database.
 */
class InMemoryApiUpstreamStore implements ApiUpstreamStore {

	private final Map<String, String> bodies = new ConcurrentSkipListMap<>();

	@Override
	public Map<String, String> load() {
		return new TreeMap<>(this.bodies);
	}

	@Override
	public @Nullable String find(String name) {
		return this.bodies.get(name);
	}

	@Override
	public void save(String name, String body, Instant updatedAt) {
		this.bodies.put(name, body);
	}

	@Override
	public void delete(String name) {
		this.bodies.remove(name);
	}

	@Override
	public boolean durable() {
		return false;
	}

}
