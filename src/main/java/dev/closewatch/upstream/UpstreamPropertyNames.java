package dev.closewatch.upstream;

import java.util.Set;
import java.util.TreeSet;

import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;

/**
 * Rejects unknown keys inside an upstream ({@code closewatch.upstreams.<name>.<key>}), so
 * that a typo such as {@code on-opem} fails startup instead of being silently ignored.
 * The other {@code closewatch.*} groups belong to other features, which is why
 * {@code ignoreUnknownFields = false} on the properties record cannot do this.
 */
final class UpstreamPropertyNames {

	private static final ConfigurationPropertyName UPSTREAMS = ConfigurationPropertyName.of("closewatch.upstreams");

	private static final Set<String> KEYS = Set.of("url", "headers", "subprotocols", "on-open", "reconnect",
			"ping-interval", "pong-timeout", "stale-after", "stale-code", "max-message-size", "ssl-bundle",
			"bearer-token", "bearer-token-file", "basic-auth", "labels");

	private static final Set<String> RECONNECT_KEYS = Set.of("delay", "multiplier", "max-delay", "jitter",
			"max-retries", "reset-after", "strategy", "rules");

	// the keys as Boot compares them: lower case without dashes, so that pingInterval,
	// ping-interval and ping_interval are one key (relaxed binding)
	private static final Set<String> UNIFORM_KEYS = uniform(KEYS);

	private static final Set<String> UNIFORM_RECONNECT_KEYS = uniform(RECONNECT_KEYS);

	private UpstreamPropertyNames() {
	}

	static void checkKnown(Environment environment) {
		checkKnown(ConfigurationPropertySources.get(environment));
	}

	/**
	 * Fail on the first unknown keys under {@code closewatch.upstreams} in the sources.
	 * @param sources the sources
	 * @throws IllegalArgumentException naming every unknown key
	 */
	static void checkKnown(Iterable<ConfigurationPropertySource> sources) {
		Set<String> unknown = new TreeSet<>();
		for (ConfigurationPropertySource source : sources) {
			if (source instanceof IterableConfigurationPropertySource iterable) {
				iterable.filter(UPSTREAMS::isAncestorOf).forEach((name) -> {
					if (!isKnown(name)) {
						unknown.add(name.toString());
					}
				});
			}
		}
		if (!unknown.isEmpty()) {
			throw new IllegalArgumentException("Unknown upstream propert" + ((unknown.size() == 1) ? "y " : "ies ")
					+ unknown + "; an upstream accepts " + new TreeSet<>(KEYS) + " and reconnect."
					+ new TreeSet<>(RECONNECT_KEYS));
		}
	}

	private static boolean isKnown(ConfigurationPropertyName name) {
		int elements = name.getNumberOfElements();
		if (elements < 4) {
			return true;
		}
		String key = name.getElement(3, ConfigurationPropertyName.Form.UNIFORM);
		if (!UNIFORM_KEYS.contains(key)) {
			return false;
		}
		if (key.equals("reconnect") && elements >= 5) {
			return UNIFORM_RECONNECT_KEYS.contains(name.getElement(4, ConfigurationPropertyName.Form.UNIFORM));
		}
		return true;
	}

	private static Set<String> uniform(Set<String> keys) {
		Set<String> uniform = new TreeSet<>();
		keys.forEach((key) -> uniform.add(key.replace("-", "")));
		return Set.copyOf(uniform);
	}

}
