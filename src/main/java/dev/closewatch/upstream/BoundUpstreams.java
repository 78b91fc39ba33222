package dev.closewatch.upstream;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.closewatch.upstream.UpstreamProperties.Upstream;

import org.springframework.boot.env.OriginTrackedMapPropertySource;
import org.springframework.boot.origin.OriginTrackedValue;
import org.springframework.core.env.PropertySource;

/**
 * A document of upstreams split into one part per upstream, and the upstreams last bound
 * from each source by the settings they were bound from: a reload binds and checks only
 * the upstreams whose settings changed. Binding the whole document at once would cost
 * time quadratic in its size (Boot's map binder filters every name of the source for each
 * nested map, and each upstream has two), and binding every upstream again on each change
 * would make a one-line edit of a file of 10,000 upstreams take seconds.
 */
final class BoundUpstreams {

	private final Map<String, Map<String, Part>> bySource = new ConcurrentHashMap<>();

	/**
	 * Return what a part bound to the last time this source was read with the same
	 * settings, or {@code null}.
	 */
	Map<String, Upstream> previous(String source, Part part) {
		Part previous = this.bySource.getOrDefault(source, Map.of()).get(part.key());
		return (previous != null && previous.settings().equals(part.settings())) ? previous.bound() : null;
	}

	/**
	 * Remember the parts of a source as read now, each with what it bound to.
	 */
	void remember(String source, List<Part> parts) {
		Map<String, Part> remembered = new LinkedHashMap<>();
		parts.stream().filter((part) -> part.bound() != null).forEach((part) -> remembered.put(part.key(), part));
		this.bySource.put(source, remembered);
	}

	/**
	 * Split the properties of a document, named {@code <prefix>.<upstream>...}, by
	 * upstream, in document order, origins kept.
	 */
	static List<Part> split(PropertySource<?> prefixed, String prefix) {
		Map<String, Map<String, Object>> groups = new LinkedHashMap<>();
		int start = prefix.length() + 1;
		((Map<?, ?>) prefixed.getSource()).forEach((key, value) -> groups
			.computeIfAbsent(upstreamKey(key.toString().substring(start)), (upstream) -> new LinkedHashMap<>())
			.put(key.toString(), value));
		List<Part> parts = new ArrayList<>(groups.size());
		groups.forEach((upstream, properties) -> {
			Map<String, Object> settings = new LinkedHashMap<>();
			properties.forEach((name, value) -> settings.put(name,
					(value instanceof OriginTrackedValue tracked) ? tracked.getValue() : value));
			parts.add(new Part(upstream,
					new OriginTrackedMapPropertySource(prefixed.getName() + " " + upstream, properties, true), settings,
					null));
		});
		return parts;
	}

	// the first element of a property name: "prices" of "prices.url", "[a.b]" of
	// "[a.b].url"
	private static String upstreamKey(String name) {
		if (name.startsWith("[")) {
			int close = name.indexOf(']');
			return (close > 0) ? name.substring(0, close + 1) : name;
		}
		int end = name.length();
		int dot = name.indexOf('.');
		int bracket = name.indexOf('[');
		if (dot >= 0) {
			end = dot;
		}
		if (bracket >= 0 && bracket < end) {
			end = bracket;
		}
		return name.substring(0, end);
	}

	/**
	 * The properties of one upstream in a document.
	 *
	 * @param key the upstream's key as written
	 * @param source its properties, origins kept
	 * @param settings its properties' values, without origins: what a change is judged by
	 * @param bound what they bound to, {@code null} until bound
	 */
	record Part(String key, PropertySource<?> source, Map<String, Object> settings,
			@org.jspecify.annotations.Nullable Map<String, Upstream> bound) {

		Part withBound(Map<String, Upstream> bound) {
			return new Part(this.key, this.source, this.settings, bound);
		}

	}

}
