package dev.closewatch.upstream;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.closewatch.upstream.UpstreamProperties.Upstream;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.env.OriginTrackedMapPropertySource;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.PropertySourceOrigin;
import org.springframework.boot.origin.TextResourceOrigin;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.Resource;

/**
 * Reads upstream definitions from a YAML or JSON document shaped as
 * {@code closewatch.upstreams} (a map from name to settings), with the rules of startup:
 * the same binding, the same unknown-key check, the same validation and the same
 * messages, which also name the line of the document. In a file, {@code ${NAME}}
 * placeholders are resolved against the environment as in {@code application.yaml} (so
 * that a header's token can come from a Secret's variable); in the body of a request they
 * are not, so that the API cannot be used to read the environment.
 */
public class UpstreamDefinitions {

	private static final ConfigurationPropertyName UPSTREAMS = ConfigurationPropertyName.of("closewatch.upstreams");

	private static final Bindable<Map<String, Upstream>> MAP = Bindable.mapOf(String.class, Upstream.class);

	private static final Pattern PROPERTY = Pattern.compile("closewatch\\.upstreams\\.[a-zA-Z0-9_.\\[\\]-]+");

	private final UpstreamConnectionFactory factory;

	private final @Nullable PlaceholdersResolver placeholders;

	private final BoundUpstreams bound = new BoundUpstreams();

	UpstreamDefinitions(UpstreamConnectionFactory factory) {
		this(factory, null);
	}

	UpstreamDefinitions(UpstreamConnectionFactory factory, @Nullable PlaceholdersResolver placeholders) {
		this.factory = factory;
		this.placeholders = placeholders;
	}

	/**
	 * Read every upstream of a document.
	 * @param source the name of the source, for messages
	 * @param document the YAML or JSON document
	 * @return the definitions by name, empty for an empty document
	 * @throws InvalidUpstreamsException naming the property and line that are wrong
	 */
	public Map<String, Upstream> read(String source, Resource document) {
		return read(source, document, this.placeholders, true);
	}

	private Map<String, Upstream> read(String source, Resource document, @Nullable PlaceholdersResolver placeholders,
			boolean remember) {
		List<PropertySource<?>> loaded;
		try {
			loaded = new YamlPropertySourceLoader().load(source, document);
		}
		catch (IOException | RuntimeException ex) {
			throw new InvalidUpstreamsException(source, source + " is not valid YAML or JSON: "
					+ oneLine(NestedExceptionUtils.getMostSpecificCause(ex).getMessage()), ex);
		}
		if (loaded.isEmpty()) {
			return Map.of();
		}
		if (loaded.size() > 1) {
			throw new InvalidUpstreamsException(source, source + " holds " + loaded.size()
					+ " YAML documents; put every upstream in one map from name to settings");
		}
		PropertySource<?> prefixed = prefixed(loaded.get(0));
		if (((Map<?, ?>) prefixed.getSource()).isEmpty()) {
			return Map.of();
		}
		ConfigurationPropertySource properties = ConfigurationPropertySource.from(prefixed);
		try {
			UpstreamPropertyNames.checkKnown(List.of(properties));
			// one upstream at a time, and only those whose settings changed since the
			// last read of this source (BoundUpstreams)
			List<BoundUpstreams.Part> parts = new ArrayList<>();
			Map<String, Upstream> upstreams = new LinkedHashMap<>();
			for (BoundUpstreams.Part part : BoundUpstreams.split(prefixed, UPSTREAMS.toString())) {
				Map<String, Upstream> bound = remember ? this.bound.previous(source, part) : null;
				if (bound == null) {
					bound = new Binder(List.of(ConfigurationPropertySource.from(part.source())), placeholders,
							ApplicationConversionService.getSharedInstance())
						.bind(UPSTREAMS, MAP)
						.orElse(Map.of());
					bound.forEach(this.factory::check);
				}
				parts.add(part.withBound(bound));
				upstreams.putAll(bound);
			}
			if (upstreams.isEmpty() && properties instanceof IterableConfigurationPropertySource iterable
					&& iterable.iterator().hasNext()) {
				throw new IllegalArgumentException("closewatch.upstreams: the document must map upstream names to "
						+ "their settings, e.g. 'prices: {url: wss://feed.example.com/prices}'");
			}
			if (remember) {
				this.bound.remember(source, parts);
			}
			return upstreams;
		}
		catch (BindException ex) {
			ConfigurationProperty property = ex.getProperty();
			String where = (property != null) ? where(property.getOrigin())
					: where(properties, ex.getName().toString());
			throw new InvalidUpstreamsException(source,
					where + ex.getName() + ": " + firstLine(NestedExceptionUtils.getMostSpecificCause(ex).getMessage())
							+ ((property != null) ? " (was '" + masked(property) + "')" : ""),
					ex);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidUpstreamsException(source, where(properties, ex.getMessage()) + ex.getMessage(), ex);
		}
	}

	/**
	 * Read one upstream's settings, such as the body of a request that creates it.
	 * @param source the name of the source, for messages
	 * @param name the upstream's name
	 * @param document the YAML or JSON document of its settings
	 * @return the definition
	 * @throws InvalidUpstreamsException naming the property that is wrong
	 */
	public Upstream readOne(String source, String name, Resource document) {
		Map<String, Upstream> read = read(source, new WrappedDocument(name, document), null, false);
		Upstream upstream = read.get(name);
		if (upstream == null) {
			throw new InvalidUpstreamsException(source, "closewatch.upstreams." + name + ".url is required");
		}
		return upstream;
	}

	// the document's properties under closewatch.upstreams, their origins kept
	private static PropertySource<?> prefixed(PropertySource<?> document) {
		Map<String, Object> prefixed = new LinkedHashMap<>();
		if (document instanceof EnumerablePropertySource<?> enumerable) {
			for (String name : enumerable.getPropertyNames()) {
				if (name == null || name.isEmpty()) {
					// the document '{}'
					continue;
				}
				Object value = ((Map<?, ?>) enumerable.getSource()).get(name);
				prefixed.put(UPSTREAMS + "." + name, (value != null) ? value : document.getProperty(name));
			}
		}
		return new OriginTrackedMapPropertySource(document.getName(), prefixed, true);
	}

	// "file [/etc/closewatch/upstreams.yaml]:12:7: " for the first property the message
	// names
	private static String where(ConfigurationPropertySource properties, @Nullable String message) {
		if (message == null || !(properties instanceof IterableConfigurationPropertySource iterable)) {
			return "";
		}
		Matcher matcher = PROPERTY.matcher(message);
		if (!matcher.find()) {
			return "";
		}
		String named = matcher.group().replaceAll("[.:]+$", "");
		ConfigurationPropertyName name = ConfigurationPropertyName.adapt(named, '.');
		while (name != null && !name.isEmpty()) {
			ConfigurationPropertyName prefix = name;
			Origin origin = iterable.stream()
				.filter((candidate) -> prefix.equals(candidate) || prefix.isAncestorOf(candidate))
				.findFirst()
				.map(properties::getConfigurationProperty)
				.map(ConfigurationProperty::getOrigin)
				.orElse(null);
			if (origin != null) {
				return where(origin);
			}
			name = name.getParent();
		}
		return "";
	}

	private static String where(@Nullable Origin origin) {
		for (Origin candidate = origin; candidate != null; candidate = (candidate instanceof PropertySourceOrigin wrapper)
				? wrapper.getOrigin() : candidate.getParent()) {
			if (candidate instanceof TextResourceOrigin text && text.getLocation() != null) {
				Resource resource = text.getResource();
				String file = (resource != null) ? resource.getDescription() : "the document";
				return file + " line " + (text.getLocation().getLine() + 1) + ": ";
			}
		}
		return (origin != null) ? origin + ": " : "";
	}

	/**
	 * A document read into memory, described as given (such as the file it came from).
	 * @param description how messages name it
	 * @param content the document
	 * @return the resource
	 */
	public static Resource document(String description, byte[] content) {
		return new ByteArrayResource(content, description) {

			@Override
			public String getDescription() {
				return description;
			}

		};
	}

	// a bad value is shown, unless it may be a secret
	private static String masked(ConfigurationProperty property) {
		String name = property.getName().toString();
		if (name.contains(".headers.") || name.contains("password") || name.contains("token")
				|| name.endsWith(".url")) {
			return "******";
		}
		return String.valueOf(property.getValue());
	}

	// snakeyaml's message: the problem, then where, on lines of their own
	private static String oneLine(@Nullable String message) {
		if (message == null) {
			return "";
		}
		return message.lines()
			.map(String::strip)
			.filter((line) -> !line.isEmpty() && !line.startsWith("^"))
			.reduce((first, second) -> first + " " + second)
			.orElse("");
	}

	private static String firstLine(@Nullable String message) {
		if (message == null) {
			return "";
		}
		int newline = message.indexOf('\n');
		return (newline >= 0) ? message.substring(0, newline) : message;
	}

	/**
	 * One upstream's settings as a document of one upstream: the same lines, under its
	 * name.
	 */
	private static final class WrappedDocument extends org.springframework.core.io.AbstractResource {

		private final String name;

		private final Resource document;

		WrappedDocument(String name, Resource document) {
			this.name = name;
			this.document = document;
		}

		@Override
		public String getDescription() {
			return this.document.getDescription();
		}

		@Override
		public java.io.InputStream getInputStream() throws IOException {
			// JSON is YAML: nest the document as a flow mapping under the name
			byte[] body = this.document.getContentAsByteArray();
			String text = new String(body, java.nio.charset.StandardCharsets.UTF_8).strip();
			if (text.isEmpty()) {
				text = "{}";
			}
			String wrapped = text.startsWith("{") ? "\"" + this.name + "\": " + text
					: "\"" + this.name + "\":\n" + text.indent(2);
			return new java.io.ByteArrayInputStream(wrapped.getBytes(java.nio.charset.StandardCharsets.UTF_8));
		}

	}

}
