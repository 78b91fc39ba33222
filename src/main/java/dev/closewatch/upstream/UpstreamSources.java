package dev.closewatch.upstream;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import dev.closewatch.closeevent.ClientClose;
import dev.closewatch.upstream.UpstreamProperties.Upstream;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;

/**
 * The sources of upstream definitions: the application's configuration, watched files,
 * the REST API. Each source owns the names it defines, and the monitored upstreams are
 * the union of every source's. Replacing a source's set is all or nothing: a set with a
 * definition that is wrong, or with a name another source defines, changes nothing, and
 * that source's last good set keeps running.
 */
public class UpstreamSources {

	/**
	 * The source of {@code closewatch.upstreams} in the application's configuration.
	 */
	public static final String APPLICATION = "application";

	private final UpstreamConnections connections;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	private final UpstreamScope scope;

	// source -> its last good set, in the order sources were first seen
	private final Map<String, Map<String, Upstream>> sources = new LinkedHashMap<>();

	// source -> how its last reload went
	private final Map<String, SourceState> states = new ConcurrentHashMap<>();

	UpstreamSources(UpstreamConnections connections, Map<String, Upstream> application,
			ApplicationEventPublisher events, Clock clock) {
		this(connections, application, events, clock, UpstreamScope.ALL);
	}

	UpstreamSources(UpstreamConnections connections, Map<String, Upstream> application,
			ApplicationEventPublisher events, Clock clock, UpstreamScope scope) {
		this.connections = connections;
		this.events = events;
		this.clock = clock;
		this.scope = scope;
		this.sources.put(APPLICATION, Map.copyOf(application));
		this.states.put(APPLICATION, new SourceState(APPLICATION, true, clock.instant(), null));
	}

	/**
	 * Replace the upstreams of one source and apply the union of all sources.
	 * @param source the source
	 * @param upstreams its complete set of upstreams, by name
	 * @return what changed
	 * @throws InvalidUpstreamsException naming what is wrong; nothing changed then
	 */
	public synchronized UpstreamsDiff replace(String source, Map<String, Upstream> upstreams) {
		Objects.requireNonNull(source, "source must not be null");
		try {
			Map<String, Upstream> merged = new TreeMap<>();
			this.sources.forEach((other, defined) -> {
				if (!other.equals(source)) {
					merged.putAll(defined);
				}
			});
			for (String name : new TreeMap<>(upstreams).keySet()) {
				String owner = owner(name);
				if (owner != null && !owner.equals(source)) {
					throw new InvalidUpstreamsException(source, "closewatch.upstreams." + name + " is defined by both "
							+ owner + " and " + source + "; a name belongs to one source");
				}
			}
			merged.putAll(upstreams);
			UpstreamsDiff diff = this.connections.apply(scoped(merged, this.scope), UpstreamConnections.REMOVED);
			this.sources.put(source, Map.copyOf(upstreams));
			Instant now = this.clock.instant();
			this.states.put(source, new SourceState(source, true, now, null));
			this.events.publishEvent(new UpstreamSourceReloaded(source, true, now, null));
			return diff;
		}
		catch (InvalidUpstreamsException ex) {
			failed(source, ex.getMessage());
			throw ex;
		}
		catch (IllegalArgumentException ex) {
			failed(source, ex.getMessage());
			throw new InvalidUpstreamsException(source, ex.getMessage(), ex);
		}
	}

	/**
	 * Apply the union of all sources again after the scope changed: upstreams that came
	 * into scope connect, those that left it close with the given close, every other
	 * connection stays as it is.
	 * @param close how those that left close: the scope's owner says why (another replica
	 * takes them over, or this one lost its leases)
	 * @return what changed
	 */
	public synchronized UpstreamsDiff rescope(ClientClose close) {
		return this.connections.apply(scoped(definitions(), this.scope), close);
	}

	/**
	 * The definitions a scope includes.
	 * @param upstreams definitions by name
	 * @param scope the scope
	 * @return those it includes (the same map for {@link UpstreamScope#ALL})
	 */
	static Map<String, Upstream> scoped(Map<String, Upstream> upstreams, UpstreamScope scope) {
		if (scope == UpstreamScope.ALL) {
			return upstreams;
		}
		Map<String, Upstream> scoped = new TreeMap<>();
		upstreams.forEach((name, upstream) -> {
			if (scope.includes(name)) {
				scoped.put(name, upstream);
			}
		});
		return scoped;
	}

	/**
	 * Record that a source could not even be read (a file that does not parse or has
	 * gone): its last good set keeps running.
	 * @param source the source
	 * @param error what is wrong
	 */
	public synchronized void failed(String source, String error) {
		Instant now = this.clock.instant();
		this.states.compute(source,
				(key, state) -> new SourceState(source, false, (state != null) ? state.lastSuccess() : null, error));
		this.events.publishEvent(new UpstreamSourceReloaded(source, false, now, error));
	}

	/**
	 * Return how the last reload of every source went, in no particular order.
	 * @return the states
	 */
	public List<SourceState> states() {
		return List.copyOf(this.states.values());
	}

	/**
	 * How the last reload of a source went.
	 *
	 * @param source the source
	 * @param successful whether its upstreams were applied
	 * @param lastSuccess when they last were, {@code null} if never
	 * @param error what was wrong, {@code null} when successful
	 */
	public record SourceState(String source, boolean successful, @Nullable Instant lastSuccess,
			@Nullable String error) {

	}

	/**
	 * Return the upstreams a source defines now.
	 * @param source the source
	 * @return its last good set, empty for a source never applied
	 */
	public synchronized Map<String, Upstream> upstreams(String source) {
		return this.sources.getOrDefault(source, Map.of());
	}

	/**
	 * Return every upstream defined now, by all sources, whether or not this replica
	 * connects it (with {@code closewatch.cluster}, its scope is the shards it owns).
	 * @return the definitions by name
	 */
	public synchronized Map<String, Upstream> definitions() {
		Map<String, Upstream> merged = new TreeMap<>();
		this.sources.values().forEach(merged::putAll);
		return merged;
	}

	/**
	 * Return the definition of one upstream, by whichever source defines it.
	 * @param name the upstream's name
	 * @return its definition, or {@code null} if no source defines it
	 */
	public synchronized @Nullable Upstream definition(String name) {
		for (Map<String, Upstream> defined : this.sources.values()) {
			Upstream upstream = defined.get(name);
			if (upstream != null) {
				return upstream;
			}
		}
		return null;
	}

	/**
	 * Return the source that defines an upstream.
	 * @param name the upstream's name
	 * @return the source, or {@code null} if none does
	 */
	public synchronized @Nullable String owner(String name) {
		for (Map.Entry<String, Map<String, Upstream>> source : this.sources.entrySet()) {
			if (source.getValue().containsKey(name)) {
				return source.getKey();
			}
		}
		return null;
	}

}
