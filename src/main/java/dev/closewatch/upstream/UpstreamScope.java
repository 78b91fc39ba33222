package dev.closewatch.upstream;

/**
 * Which of the defined upstreams this process connects: all of them, unless several
 * replicas share the upstreams (then the {@code cluster} package provides the scope, and
 * calls {@link UpstreamSources#rescope} when it changes). Upstreams outside the scope are
 * still defined, validated against their source, and owned by their source; they are only
 * not connected here.
 */
@FunctionalInterface
public interface UpstreamScope {

	/**
	 * Every defined upstream: one process monitors them all.
	 */
	UpstreamScope ALL = (name) -> true;

	/**
	 * Whether this process connects the upstream.
	 * @param name the upstream's name
	 * @return whether it is in scope
	 */
	boolean includes(String name);

}
