package dev.closewatch.config;

import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Where the upstreams defined through the REST API are kept: the history store's database
 * (so that a restart sees them), or memory with the {@code memory} history store.
 */
interface ApiUpstreamStore {

	/**
	 * Return every stored definition.
	 * @return the request bodies by upstream name, in name order
	 */
	Map<String, String> load();

	/**
	 * Return the stored definition of an upstream.
	 * @param name the upstream
	 * @return the request body that defined it, {@code null} if none
	 */
	@Nullable String find(String name);

	/**
	 * Create or replace the definition of an upstream.
	 * @param name the upstream
	 * @param body the request body that defined it
	 * @param updatedAt when
	 */
	void save(String name, String body, Instant updatedAt);

	/**
	 * Remove the definition of an upstream.
	 * @param name the upstream
	 */
	void delete(String name);

	/**
	 * Return a value that changes whenever a definition is created, replaced or removed,
	 * by this process or another one sharing the store.
	 * @return the fingerprint of the stored set
	 */
	default String fingerprint() {
		return Integer.toString(load().hashCode());
	}

	/**
	 * Return whether definitions outlive the process.
	 * @return whether they do
	 */
	boolean durable();

}
