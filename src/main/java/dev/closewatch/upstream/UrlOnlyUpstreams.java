package dev.closewatch.upstream;

import java.net.URI;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import dev.closewatch.upstream.UpstreamProperties.Upstream;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.propertyeditors.URIEditor;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.util.SystemPropertyUtils;

/**
 * The entries of one property source that set nothing but a plain {@code url}: the common
 * case at scale (a file of thousands of {@code name: {url: ...}}), bound without a
 * {@code Binder}. A binder looks up each of the fourteen parameters of every entry, and
 * that code is hot enough at 10,000 entries for the JIT to compile it while the
 * connections open; here one pass over the source's names finds the url-only entries and
 * each url is converted as the binder converts it, with Spring's {@link URIEditor}.
 * Anything else, a placeholder or a url the editor rejects included, is left to the
 * binder, so values and errors (named by property) stay the binder's.
 */
final class UrlOnlyUpstreams {

	private static final String URL = "url";

	private final ConfigurationPropertySource source;

	private final Set<ConfigurationPropertyName> entries;

	private UrlOnlyUpstreams(ConfigurationPropertySource source, Set<ConfigurationPropertyName> entries) {
		this.source = source;
		this.entries = entries;
	}

	/**
	 * Find the url-only entries under {@code parent} in {@code source}.
	 * @param source the property source
	 * @param parent the name of the map, {@code closewatch.upstreams}
	 * @return the entries found; none if the source cannot list its names
	 */
	static UrlOnlyUpstreams in(ConfigurationPropertySource source, ConfigurationPropertyName parent) {
		if (!(source instanceof IterableConfigurationPropertySource iterable)) {
			return new UrlOnlyUpstreams(source, Set.of());
		}
		int entryLength = parent.getNumberOfElements() + 1;
		Map<ConfigurationPropertyName, Boolean> urlOnly = new HashMap<>();
		iterable.stream().filter(parent::isAncestorOf).forEach((name) -> {
			ConfigurationPropertyName entry = name.chop(entryLength);
			boolean url = name.getNumberOfElements() == entryLength + 1 && !name.isLastElementIndexed()
					&& URL.equals(name.getLastElement(Form.UNIFORM));
			urlOnly.merge(entry, url, (seen, another) -> false);
		});
		Set<ConfigurationPropertyName> entries = new HashSet<>();
		urlOnly.forEach((entry, url) -> {
			if (url) {
				entries.add(entry);
			}
		});
		return new UrlOnlyUpstreams(source, entries);
	}

	/**
	 * The upstream of an entry, if it sets only a url the binder would take as it is.
	 * @param entry the entry's name, {@code closewatch.upstreams.<name>}
	 * @return the upstream, or {@code null} when the entry is for the binder
	 */
	@Nullable Upstream upstream(ConfigurationPropertyName entry) {
		if (!this.entries.contains(entry)) {
			return null;
		}
		ConfigurationProperty property = this.source.getConfigurationProperty(entry.append(URL));
		if (property == null || !(property.getValue() instanceof CharSequence value)) {
			return null;
		}
		String text = value.toString();
		if (text.contains(SystemPropertyUtils.PLACEHOLDER_PREFIX)) {
			return null;
		}
		URIEditor editor = new URIEditor();
		try {
			editor.setAsText(text);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
		return (editor.getValue() instanceof URI url) ? new Upstream(url, null, null, null, null) : null;
	}

}
