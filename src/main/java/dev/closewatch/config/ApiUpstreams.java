package dev.closewatch.config;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.closewatch.upstream.InvalidUpstreamsException;
import dev.closewatch.upstream.UpstreamDefinitions;
import dev.closewatch.upstream.UpstreamProperties.Upstream;
import dev.closewatch.upstream.UpstreamSources;
import dev.closewatch.upstream.UpstreamsDiff;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upstreams defined through the REST API ({@code PUT} and {@code DELETE}
 * {@code /api/v1/upstreams/{name}}): the source {@code api}, which owns only the names it
 * defined. Each definition is read with the rules of startup, kept in the store before it
 * is applied, and read back from the store at the next start, before any connection
 * opens.
 */
public class ApiUpstreams {

	/**
	 * The source of upstreams defined through the REST API.
	 */
	public static final String SOURCE = "api";

	private static final Logger logger = LoggerFactory.getLogger(ApiUpstreams.class);

	private final ApiUpstreamStore store;

	private final UpstreamDefinitions definitions;

	private final UpstreamSources sources;

	private final Clock clock;

	// the store's fingerprint when its set was last applied
	private @Nullable String applied;

	ApiUpstreams(ApiUpstreamStore store, UpstreamDefinitions definitions, UpstreamSources sources, Clock clock) {
		this.store = store;
		this.definitions = definitions;
		this.sources = sources;
		this.clock = clock;
		synchronized (this) {
			load();
		}
	}

	/**
	 * Apply the stored set again if it changed since it was last applied: with
	 * {@code closewatch.cluster}, the upstreams another replica defined or removed
	 * through the API reach this one within a publish-interval. This replica's own writes
	 * are applied again too, from the store, so that a write of another replica at the
	 * same moment is not missed.
	 */
	public synchronized void refresh() {
		if (!this.store.fingerprint().equals(this.applied)) {
			load();
		}
	}

	// a stored definition that no longer applies (another source took its name, or a
	// newer closewatch refuses it) is left out and reported; the others run
	private void load() {
		String fingerprint = this.store.fingerprint();
		Map<String, Upstream> upstreams = new TreeMap<>();
		List<String> errors = new ArrayList<>();
		this.store.load().forEach((name, body) -> {
			String owner = this.sources.owner(name);
			if (owner != null && !owner.equals(SOURCE)) {
				errors.add(new UpstreamOwnedElsewhereException(name, owner).getMessage());
				return;
			}
			try {
				upstreams.put(name, read(name, body.getBytes(StandardCharsets.UTF_8)));
			}
			catch (InvalidUpstreamsException ex) {
				errors.add(ex.getMessage());
			}
		});
		this.sources.replace(SOURCE, upstreams);
		if (!errors.isEmpty()) {
			String error = "stored upstream(s) not applied: " + String.join("; ", errors);
			this.sources.failed(SOURCE, error);
			logger.error("Upstreams defined through the API: {}", error);
		}
		this.applied = fingerprint;
		logger.info("{} upstream(s) defined through the API, kept {}", upstreams.size(),
				this.store.durable() ? "in the history store's database" : "in memory only (history store 'memory')");
	}

	/**
	 * Create or replace an upstream.
	 * @param name the upstream
	 * @param body its settings as JSON (or YAML), shaped as
	 * {@code closewatch.upstreams.<name>}
	 * @return whether it was created, and what changed
	 * @throws InvalidUpstreamsException naming the property that is wrong; nothing
	 * changed
	 * @throws UpstreamOwnedElsewhereException when another source defines the name
	 */
	public synchronized Put put(String name, byte[] body) {
		Upstream upstream = read(name, body);
		requireOwned(name);
		Map<String, Upstream> upstreams = new TreeMap<>(this.sources.upstreams(SOURCE));
		Upstream previous = upstreams.put(name, upstream);
		String previousBody = (previous != null) ? this.store.find(name) : null;
		// kept first: a definition that cannot be kept is not applied
		this.store.save(name, new String(body, StandardCharsets.UTF_8), this.clock.instant());
		// this set is no longer one read from the store: the next refresh reads it again
		// (a put and a delete would leave the fingerprint as it was)
		this.applied = null;
		try {
			return new Put(previous == null, this.sources.replace(SOURCE, upstreams));
		}
		catch (RuntimeException ex) {
			restore(name, previousBody);
			throw ex;
		}
	}

	/**
	 * Remove an upstream defined through the API: it is closed with 1000 "removed".
	 * @param name the upstream
	 * @return what changed, {@code null} when no source defines the name
	 * @throws UpstreamOwnedElsewhereException when another source defines it
	 */
	public synchronized @Nullable UpstreamsDiff delete(String name) {
		Map<String, Upstream> upstreams = new TreeMap<>(this.sources.upstreams(SOURCE));
		if (!upstreams.containsKey(name)) {
			requireOwned(name);
			return null;
		}
		upstreams.remove(name);
		String previousBody = this.store.find(name);
		this.store.delete(name);
		this.applied = null;
		try {
			return this.sources.replace(SOURCE, upstreams);
		}
		catch (RuntimeException ex) {
			restore(name, previousBody);
			throw ex;
		}
	}

	private void requireOwned(String name) {
		String owner = this.sources.owner(name);
		if (owner != null && !owner.equals(SOURCE)) {
			throw new UpstreamOwnedElsewhereException(name, owner);
		}
	}

	private void restore(String name, @Nullable String body) {
		if (body != null) {
			this.store.save(name, body, this.clock.instant());
		}
		else {
			this.store.delete(name);
		}
	}

	private Upstream read(String name, byte[] body) {
		return this.definitions.readOne(SOURCE, name, UpstreamDefinitions.document("the request body", body));
	}

	/**
	 * What a {@code PUT} did.
	 *
	 * @param created whether the upstream is new
	 * @param diff what changed
	 */
	public record Put(boolean created, UpstreamsDiff diff) {

	}

}
